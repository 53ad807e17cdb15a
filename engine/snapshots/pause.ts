// pause/resume of a running sandbox: every process frozen in place (runc's freezer cgroup,
// runsc's own pause, a VM's vCPUs stopped over QMP) and thawed later, memory kept. The monitor owns status.json, so the
// engine records a pause beside it (paused.json) and ps/inspect show `paused` while it holds.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { SandboxInfo } from '../api';
import type { Driver, RunningContext } from '../drivers/driver';
import { EngineError } from '../errors';
import { runCommand } from '../runner';
import { writeJsonAtomic } from '../state/store';

export const PAUSED_FILE = 'paused.json';
const PAUSE_TIMEOUT_MS = 15_000;

/** Why a level can't pause (yet), for the refusal. */
const NO_PAUSE: Record<string, string> = {
  isolate: 'an isolate runs only while it answers a request: there is nothing to freeze',
};

export function isPaused(dir: string): boolean {
  return existsSync(path.join(dir, PAUSED_FILE));
}

/** A running sandbox with a pause recorded shows as paused. */
export function withPauseState(info: SandboxInfo, dir: string): SandboxInfo {
  if (info.state === 'running' && isPaused(dir)) info.state = 'paused';
  return info;
}

export async function setPaused(driver: Driver | undefined, ctx: RunningContext, isolation: string, action: 'pause' | 'resume'): Promise<void> {
  if (isolation === 'microvm' || isolation === 'vm') return (await import('./qemu-pause')).setVmPaused(ctx, action);
  if (!driver?.pauseCommand) {
    throw new EngineError(`${ctx.id}: ${isolation} sandboxes can't be paused: ${NO_PAUSE[isolation] ?? 'this runtime has no pause'}`);
  }
  const paused = isPaused(ctx.dir);
  if (action === 'pause' && paused) throw new EngineError(`${ctx.id} is already paused`, [], `spectrum resume ${ctx.id}`);
  if (action === 'resume' && !paused) throw new EngineError(`${ctx.id} is not paused`);
  const r = await runCommand(driver.pauseCommand(ctx, action), { timeoutMs: PAUSE_TIMEOUT_MS });
  if (r.exitCode !== 0) {
    const why = (r.stderr || r.stdout).trim().split('\n').slice(-3).join('\n');
    const freezer = /freezer/i.test(why);
    throw new EngineError(
      `${ctx.id}: ${action} failed: ${why || `exit ${r.exitCode}`}`,
      [],
      freezer ? 'runc pause needs the freezer cgroup: mount the cgroup v1 freezer controller or use cgroup v2' : undefined,
    );
  }
  if (action === 'pause') writeJsonAtomic(path.join(ctx.dir, PAUSED_FILE), { pausedAt: new Date().toISOString() });
  else rmSync(path.join(ctx.dir, PAUSED_FILE), { force: true });
}
