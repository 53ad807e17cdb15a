// What a spec asks for that weakens its sandbox, named one per line like a bundle's privileges
// (oci/privileges.ts): writable mounts of the host's sensitive paths, network: host, and a
// Firecracker drive from outside the config's own folder. Each needs the user's confirmation
// (--unsafe, or the extension's modal) before the launch.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SandboxSpec } from '../spec/types';
import { isInside, PrivilegeError } from '../oci/privileges';

/** Host paths no sandbox should write to: the whole host, its config, its kernel interfaces. */
const NO_WRITES_INSIDE = ['/etc', '/proc', '/sys', '/dev', '/boot', '/var/run/docker.sock', '/run/docker.sock'];

function real(p: string): string {
  try {
    return existsSync(p) ? realpathSync(p) : path.resolve(p);
  } catch {
    return path.resolve(p);
  }
}

const within = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/** Why a writable mount of `source` exposes the host, or undefined when it does not. */
export function sensitiveWrite(source: string, home = os.homedir()): string | undefined {
  const p = real(source);
  if (p === '/') return 'the whole host file system';
  const homeDir = real(home);
  // The home folder itself (or a parent of it) holds the user's keys and shell start-up files;
  // a project folder inside it is ordinary use.
  if (homeDir !== '/' && within(homeDir, p)) return `the home folder ${homeDir}`;
  for (const s of NO_WRITES_INSIDE) {
    const rs = real(s);
    if (within(p, rs) || within(rs, p)) return rs === p ? rs : within(p, rs) ? `${p} (inside ${rs})` : `${p} (holds ${rs})`;
  }
  return undefined;
}

function firecrackerDrives(file: string, content?: Record<string, unknown>): string[] {
  try {
    // The content the launch will use (spec.firecrackerConfigContent), not the file again.
    const cfg = (content ?? JSON.parse(readFileSync(file, 'utf8'))) as { drives?: Array<{ drive_id?: string; path_on_host?: string; is_read_only?: boolean }> };
    const dir = path.dirname(file);
    const out: string[] = [];
    for (const d of cfg.drives ?? []) {
      if (typeof d.path_on_host !== 'string') continue;
      if (!isInside(dir, d.path_on_host)) out.push(`Firecracker drive ${d.drive_id ?? '?'} uses ${path.resolve(dir, d.path_on_host)}${d.is_read_only ? '' : ' (writable)'}, outside the config's folder ${dir}`);
    }
    return out;
  } catch {
    // An unreadable config is refused with its own message when it is translated.
    return [];
  }
}

/** One line per thing the spec asks for that needs confirmation; empty when none. */
export function specPrivileges(spec: SandboxSpec, home = os.homedir()): string[] {
  const out: string[] = [];
  for (const m of spec.mounts) {
    if (!m.writable) continue;
    const why = sensitiveWrite(m.source, home);
    if (why) out.push(`writable mount of ${why} at ${m.target}`);
  }
  if (spec.network === 'host') out.push("network: host (the sandbox shares the host's network stack)");
  if (spec.firecrackerConfig) out.push(...firecrackerDrives(spec.firecrackerConfig, spec.firecrackerConfigContent));
  return out;
}

/** Throws a PrivilegeError naming every spec's privileges unless the user confirmed them. */
export function requireConsent(specs: SandboxSpec[], unsafe: boolean | undefined): void {
  if (unsafe) return;
  const lines = specs.flatMap((s) => specPrivileges(s).map((p) => (specs.length > 1 ? `${s.name}: ${p}` : p)));
  if (lines.length) throw new PrivilegeError(specs.length === 1 ? `${specs[0].name}` : `${specs.map((s) => s.name).join(', ')}`, lines);
}
