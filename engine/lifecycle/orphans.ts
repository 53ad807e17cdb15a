// Finding a sandbox's processes without trusting a recorded pid. The engine tags the runtime's
// environment with the sandbox id (unique: name plus random hex); a runtime whose monitor was
// killed before it recorded the pid is still found by that tag and torn down.
import { readFileSync, readdirSync } from 'node:fs';
import { killGroup } from './teardown';

export const SANDBOX_TAG = 'SPECTRUM_SANDBOX_ID';

/** Pids whose environment carries this sandbox's tag. */
export function taggedProcesses(id: string): number[] {
  const needle = `${SANDBOX_TAG}=${id}\0`;
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle)) out.push(Number(name));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return out;
}

/** SIGKILLs every tagged process (and its group); returns true when none is left. */
export async function killTagged(id: string, log: (s: string) => void): Promise<boolean> {
  for (let round = 0; round < 20; round++) {
    const pids = taggedProcesses(id);
    if (!pids.length) return true;
    if (round === 0) log(`killing untracked processes of ${id}: ${pids.join(', ')}`);
    for (const pid of pids) killGroup(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
  }
  return taggedProcesses(id).length === 0;
}
