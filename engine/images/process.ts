// The process an image's config describes, with the spec's overrides, as Docker combines them:
// `entrypoint:` replaces Entrypoint (and drops the image's Cmd), `command:` replaces Cmd; Env is
// the image's with the spec's on top; WorkingDir and User as given, names looked up in the
// image's own /etc/passwd and /etc/group.
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors';
import type { SandboxSpec } from '../spec/types';
import type { ImageConfig } from './media-types';

export interface ImageProcess {
  args: string[];
  /** KEY=VALUE, image first, spec on top. */
  env: string[];
  cwd: string;
  user: { uid: number; gid: number };
  /** `User` as the image wrote it, for inspect. */
  userName?: string;
}

export function imageArgs(cfg: ImageConfig['config'], spec: Pick<SandboxSpec, 'command' | 'entrypoint'>): string[] {
  const entrypoint = spec.entrypoint ?? cfg?.Entrypoint ?? [];
  const cmd = spec.command ?? (spec.entrypoint ? [] : (cfg?.Cmd ?? []));
  return [...entrypoint, ...cmd];
}

export function mergeEnv(base: string[], over: Record<string, string>): string[] {
  const out = new Map<string, string>();
  for (const kv of base) {
    const i = kv.indexOf('=');
    if (i > 0) out.set(kv.slice(0, i), kv.slice(i + 1));
  }
  for (const [k, v] of Object.entries(over)) out.set(k, v);
  return [...out].map(([k, v]) => `${k}=${v}`);
}

/** A file of the image read only if neither it nor a parent is a symlink (which could point at the host's). */
function imageFile(rootfs: string, rel: string): string | undefined {
  let cur = rootfs;
  for (const part of rel.split('/')) {
    cur = path.join(cur, part);
    try {
      if (lstatSync(cur).isSymbolicLink()) return undefined;
    } catch {
      return undefined;
    }
  }
  try {
    return readFileSync(cur, 'utf8');
  } catch {
    return undefined;
  }
}

function lookup(text: string | undefined, name: string, field: number): number | undefined {
  for (const line of (text ?? '').split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f.length > field) {
      const n = Number(f[field]);
      if (Number.isInteger(n) && n >= 0) return n;
    }
  }
  return undefined;
}

/** `uid`, `name`, `uid:gid`, `name:group`; a numeric uid not in /etc/passwd gets gid 0, as in Docker. */
export function resolveUser(user: string | undefined, rootfs: string): { uid: number; gid: number } {
  if (!user) return { uid: 0, gid: 0 };
  const [u, g] = user.split(':', 2);
  const passwd = imageFile(rootfs, 'etc/passwd');
  const numeric = /^\d+$/.test(u);
  const uid = numeric ? Number(u) : lookup(passwd, u, 2);
  if (uid === undefined) throw new EngineError(`the image runs as user "${u}", which its /etc/passwd does not name`);
  let gid: number | undefined;
  if (g !== undefined) {
    gid = /^\d+$/.test(g) ? Number(g) : lookup(imageFile(rootfs, 'etc/group'), g, 2);
    if (gid === undefined) throw new EngineError(`the image runs as group "${g}", which its /etc/group does not name`);
  } else {
    const name = numeric ? (passwd ?? '').split('\n').find((l) => l.split(':')[2] === u)?.split(':')[0] : u;
    gid = (name !== undefined ? lookup(passwd, name, 3) : undefined) ?? 0;
  }
  return { uid, gid };
}

export function imageProcess(config: ImageConfig, spec: SandboxSpec, rootfs: string, baseEnv: string[]): ImageProcess {
  const cfg = config.config;
  const args = imageArgs(cfg, spec);
  if (args.length === 0) throw new EngineError(`${spec.name}: the image names no Entrypoint or Cmd and the spec no command`, [], 'add command: [...] to the spec');
  // The image's Env replaces the runtime defaults (PATH above all); the spec's replaces both.
  const env = mergeEnv(mergeEnv(baseEnv, Object.fromEntries((cfg?.Env ?? []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]).filter(([k]) => k))), spec.env);
  return {
    args,
    env,
    cwd: cfg?.WorkingDir || '/',
    user: resolveUser(cfg?.User, rootfs),
    ...(cfg?.User ? { userName: cfg.User } : {}),
  };
}
