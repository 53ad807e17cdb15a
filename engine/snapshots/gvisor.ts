// gVisor checkpoint/restore: `runsc checkpoint --image-path` saves the whole sandbox (its
// processes' memory and kernel state) and ends it; `runsc restore` starts a new sandbox from that
// image on a fresh bundle of the same spec. This runsc build can't leave the source running
// (--leave-running fails and kills it), so a snapshot stops its source. Both get timeouts: a
// restore that never comes up must not hang a launch.
import path from 'node:path';
import type { LaunchPlan, ProcessSpec } from '../drivers/driver';
import { runscCommand } from '../drivers/runsc';
import { runCommand } from '../runner';
import { EngineError } from '../errors';

export const CHECKPOINT_TIMEOUT_MS = 60_000;
export const RESTORE_TIMEOUT_MS = 30_000;
export const IMAGE_DIR = 'image';

export function checkpointCommand(plan: LaunchPlan, id: string, imageDir: string): ProcessSpec {
  const { bin, global } = runscCommand(plan);
  return { command: bin, args: [...global, 'checkpoint', `--image-path=${imageDir}`, id], env: plan.process.env };
}

/** The plan that restores `snapshotDir`'s image instead of running the bundle's process. */
export function restorePlan(plan: LaunchPlan, snapshotDir: string): LaunchPlan {
  const args = [...plan.process.args];
  const at = args.lastIndexOf('run');
  if (at < 0 || args[at + 1] !== '--bundle') throw new EngineError('cannot restore: the gVisor launch plan has no `run --bundle`');
  args.splice(at, 1, 'restore', `--image-path=${path.join(snapshotDir, IMAGE_DIR)}`);
  return { ...plan, process: { ...plan.process, args } };
}

/** Waits until runsc reports the restored sandbox running; throws after `timeoutMs`. */
export async function waitRestored(plan: LaunchPlan, id: string, isAlive: () => boolean, timeoutMs = RESTORE_TIMEOUT_MS): Promise<void> {
  const { bin, global } = runscCommand(plan);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await runCommand({ command: bin, args: [...global, 'state', id], env: plan.process.env }, { timeoutMs: 5000 }).catch(() => undefined);
    if (r?.exitCode === 0 && /"status":\s*"running"/.test(r.stdout)) return;
    if (!isAlive()) throw new EngineError(`${id}: the restore ended before the sandbox ran`);
    if (Date.now() > deadline) throw new EngineError(`${id}: the restore did not bring the sandbox up within ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 50));
  }
}
