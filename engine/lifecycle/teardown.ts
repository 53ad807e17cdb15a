// Tear-down steps shared by the monitor (normal case) and the engine (when a monitor died and
// `down`/`ps` must finish its job): graceful stop steps with deadlines, then SIGKILL to the
// runtime's process group, then the driver's cleanup commands and the runtime directory.
import { rmSync } from 'node:fs';
import type { LaunchPlan, StopStep } from '../drivers/driver';
import { runCommand } from '../runner';
import { isAlive } from '../host/procfs';
import { qmpCommand } from './qmp';

export const DEFAULT_STOP_WAIT_MS = 3000;

export function killGroup(pid: number, signal: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
    } catch {
      // Already gone (ESRCH) or not a group leader.
    }
  }
}

async function waitGone(isRunning: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isRunning()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return !isRunning();
}

async function runStep(step: StopStep, pid: number, log: (s: string) => void): Promise<void> {
  try {
    if (step.kind === 'signal') killGroup(pid, step.signal);
    else if (step.kind === 'command') {
      const r = await runCommand(step.process, { timeoutMs: step.waitMs ?? DEFAULT_STOP_WAIT_MS });
      if (r.exitCode !== 0) log(`stop: ${step.process.command} ${step.process.args.join(' ')}: exit ${r.exitCode} ${r.stderr.trim()}`);
    } else await qmpCommand(step.socket, step.command, step.waitMs ?? DEFAULT_STOP_WAIT_MS);
  } catch (err) {
    log(`stop step ${step.kind} failed: ${(err as Error).message}`);
  }
}

/** Stops `pid` (the runtime process): each step, then SIGKILL. `isRunning` defaults to a pid check. */
export async function stopProcess(plan: LaunchPlan, pid: number, log: (s: string) => void, isRunning = () => isAlive(pid)): Promise<void> {
  for (const step of plan.stop) {
    if (!isRunning()) return;
    await runStep(step, pid, log);
    if (await waitGone(isRunning, step.waitMs ?? DEFAULT_STOP_WAIT_MS)) return;
  }
  if (isRunning()) {
    log('stop: graceful steps did not end it, sending SIGKILL');
    killGroup(pid, 'SIGKILL');
    await waitGone(isRunning, 2000);
  }
}

/** Cleanup commands and the runtime directory; returns false when something could not be removed. */
export async function cleanupAfter(plan: LaunchPlan, runDir: string, log: (s: string) => void): Promise<boolean> {
  let ok = true;
  for (const p of plan.cleanup) {
    try {
      const r = await runCommand(p, { timeoutMs: 15_000 });
      if (r.exitCode !== 0) log(`cleanup: ${p.command} ${p.args.join(' ')}: exit ${r.exitCode} ${r.stderr.trim()}`);
    } catch (err) {
      ok = false;
      log(`cleanup: ${(err as Error).message}`);
    }
  }
  try {
    rmSync(runDir, { recursive: true, force: true });
  } catch (err) {
    ok = false;
    log(`cleanup: could not remove ${runDir}: ${(err as Error).message}`);
  }
  return ok;
}
