// Container snapshots would go through CRIU (`runc checkpoint` / `runc restore`). Whether CRIU can
// run is its own `criu check`: Debian bookworm's criu 3.17 fails on newer host kernels (it can't
// parse their vDSO), and then a container snapshot is refused with CRIU's own words.
import { EngineError } from '../errors';
import { runCommand } from '../runner';

const CHECK_TIMEOUT_MS = 20_000;

/** Why this host can't snapshot a container, from `criu check`. */
export async function containerSnapshotRefusal(id: string): Promise<EngineError> {
  const r = await runCommand({ command: 'criu', args: ['check'] }, { timeoutMs: CHECK_TIMEOUT_MS }).catch((e: Error) => ({ exitCode: -1, stdout: '', stderr: e.message }));
  if (r.exitCode === -1 && /ENOENT|not found/i.test(r.stderr)) {
    return new EngineError(`${id}: container snapshots need CRIU (runc checkpoint), which is not installed`, [], 'apt-get install criu');
  }
  if (r.exitCode === 0) {
    return new EngineError(`${id}: CRIU works on this host (criu check passed), but this engine does not drive runc checkpoint/restore yet`, [], 'use isolation: gvisor or microvm for snapshots');
  }
  const why = `${r.stderr}\n${r.stdout}`.split('\n').find((l) => /Error/.test(l))?.replace(/^Error \([^)]*\):\s*/, '') ?? `criu check exited ${r.exitCode}`;
  return new EngineError(`${id}: container snapshots need CRIU, and criu can't run on this host: ${why.trim()} (criu check)`, [], 'a CRIU release that knows this kernel (Debian bookworm has 3.17), or isolation: gvisor or microvm for snapshots');
}
