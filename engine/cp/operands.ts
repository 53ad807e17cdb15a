// `spectrum cp` operands: exactly one side names a sandbox as `SANDBOX:PATH`. Sandbox ids and
// names never hold '/' or ':', so a host path with a colon stays a host path when written with a
// slash before the colon (`./a:b`).
import path from 'node:path';
import { EngineError } from '../errors';

export type CopyPlan =
  | { direction: 'in'; sandbox: string; hostPath: string; sandboxPath: string }
  | { direction: 'out'; sandbox: string; sandboxPath: string; hostPath: string };

const SANDBOX_SIDE = /^([A-Za-z0-9][A-Za-z0-9_.-]*):(.*)$/;

function sandboxSide(arg: string): { sandbox: string; path: string } | undefined {
  const m = SANDBOX_SIDE.exec(arg);
  return m ? { sandbox: m[1], path: m[2] } : undefined;
}

/** A path inside the sandbox: absolute (the sandbox's working folder differs per level), never the root itself. */
export function checkSandboxPath(p: string): string {
  if (!p.startsWith('/')) throw new EngineError(`sandbox path '${p}' must be absolute (start with /)`);
  if (p.includes('\0')) throw new EngineError('sandbox path holds a NUL byte');
  const norm = path.posix.normalize(p).replace(/\/+$/, '');
  if (norm === '') throw new EngineError('copying the whole root folder is not supported: name a path under /');
  return norm;
}

export function parseCopyOperands(src: string, dst: string): CopyPlan {
  const s = sandboxSide(src);
  const d = sandboxSide(dst);
  if (s && d) throw new EngineError('spectrum cp: only one side may be a sandbox (SANDBOX:PATH)');
  if (!s && !d) throw new EngineError('spectrum cp: one side must be a sandbox, as SANDBOX:PATH', [], 'spectrum cp ./file web:/tmp/file');
  if (s) return { direction: 'out', sandbox: s.sandbox, sandboxPath: checkSandboxPath(s.path), hostPath: nonEmpty(dst) };
  return { direction: 'in', sandbox: d!.sandbox, hostPath: nonEmpty(src), sandboxPath: checkSandboxPath(d!.path) };
}

function nonEmpty(p: string): string {
  if (!p) throw new EngineError('spectrum cp: empty host path');
  return p;
}
