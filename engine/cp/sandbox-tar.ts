// The commands run inside the sandbox (through the runtime's exec) for a copy: busybox or GNU
// tar, which every image we launch carries. Arguments go as positional parameters to a fixed
// script, never spliced into it.
import path from 'node:path';

/** Writes the tar of `sandboxPath` (one top entry, `./<base>`) to stdout. */
export function tarOutCommand(sandboxPath: string): string[] {
  return ['tar', '-c', '-f', '-', '-C', path.posix.dirname(sandboxPath), `./${path.posix.basename(sandboxPath)}`];
}

// Into an existing folder: extract there. Otherwise `dest` is the new name: extract beside it
// into a fresh temp folder and move the one top entry into place, so a failed copy leaves no
// half-written file under the final name.
const EXTRACT_SCRIPT = [
  'd=$1; b=$2',
  'if [ -d "$d" ]; then exec tar -x -f - -C "$d"; fi',
  'p=$(dirname "$d")',
  '[ -d "$p" ] || { echo "no such folder in the sandbox: $p" >&2; exit 3; }',
  't=$(mktemp -d "$p/.spectrum-cp.XXXXXX") || exit 3',
  'tar -x -f - -C "$t" && mv -f "$t/$b" "$d"; r=$?',
  'rm -rf "$t"',
  'exit $r',
].join('\n');

/** Reads a tar of one top entry named `base` on stdin and puts it at (or into) `sandboxPath`. */
export function tarInCommand(sandboxPath: string, base: string): string[] {
  return ['/bin/sh', '-c', EXTRACT_SCRIPT, 'spectrum-cp', sandboxPath, base];
}

/** What the exec'd tar's failure means, for the error message. */
export function explainTarFailure(exitCode: number, stderr: string): string {
  const text = stderr.trim().split('\n').slice(-3).join('; ');
  if (exitCode === 127 || /executable file not found|no such file or directory.*tar|tar: not found/i.test(stderr)) {
    return `the sandbox has no tar (exit ${exitCode}${text ? `: ${text}` : ''})`;
  }
  return `tar in the sandbox exited ${exitCode}${text ? `: ${text}` : ''}`;
}
