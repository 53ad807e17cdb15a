// Container snapshots go through CRIU; what the engine must answer depends on what `criu check`
// says on this host (Debian bookworm's criu 3.17 can't run on newer kernels). Tests assert the
// engine's refusal against CRIU's own verdict, read here independently.
import { spawnSync } from 'node:child_process';

/** What a container snapshot must be refused with, by what `criu check` says on this host. */
export function criuRefusal(): RegExp {
  const check = spawnSync('criu', ['check'], { encoding: 'utf8' });
  if (check.error) return /container snapshots need CRIU \(runc checkpoint\), which is not installed/;
  if (check.status === 0) return /CRIU works on this host \(criu check passed\), but this engine does not drive runc checkpoint\/restore yet/;
  const first = `${check.stderr}\n${check.stdout}`.split('\n').find((l) => l.includes('Error'))!.replace(/^Error \([^)]*\):\s*/, '').trim();
  return new RegExp(`container snapshots need CRIU, and criu can't run on this host: ${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(criu check\\)`);
}
