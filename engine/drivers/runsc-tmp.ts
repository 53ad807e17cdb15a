// runsc starts its sandbox process as an unprivileged user that must walk the path of runsc's
// temp folder ($TMPDIR); when any folder above it is root-only (0700), the sandbox dies at once
// and runsc only says "cannot read client sync file: EOF". The temp folder itself may be 0700.
// So runsc gets a TMPDIR whose every parent is searchable by others, or a clear error.
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../errors';

/** The first parent of `dir` (walking up to /) that others cannot search, if any. */
export function closedParent(dir: string, modeOf: (p: string) => number | undefined = statMode): string | undefined {
  let p = path.dirname(path.resolve(dir));
  for (;;) {
    const mode = modeOf(p);
    if (mode !== undefined && (mode & 0o001) === 0) return p;
    const up = path.dirname(p);
    if (up === p) return undefined;
    p = up;
  }
}

function statMode(p: string): number | undefined {
  try {
    return statSync(p).mode;
  } catch {
    return undefined;
  }
}

/**
 * A temp folder for runsc: `<runDir>/tmp` when runsc's sandbox can reach it, else the system's
 * /tmp or /var/tmp. Throws naming the folder that blocks, and the fix, when none can be used.
 */
export function runscTempDir(runDir: string, modeOf: (p: string) => number | undefined = statMode): string {
  const own = path.join(runDir, 'tmp');
  const blocker = closedParent(own, modeOf);
  if (!blocker) {
    mkdirSync(own, { recursive: true, mode: 0o700 });
    return own;
  }
  for (const shared of ['/tmp', '/var/tmp']) {
    const mode = modeOf(shared);
    if (mode !== undefined && (mode & 0o1777) === 0o1777 && !closedParent(shared, modeOf)) return shared;
  }
  throw new EngineError(
    `gVisor's sandbox process runs as an unprivileged user and cannot reach ${own}: ${blocker} is not searchable by others`,
    [],
    `chmod o+x ${blocker} (or set XDG_RUNTIME_DIR to a folder whose parents others can search)`,
  );
}
