// Tear-down steps shared by the monitor (normal case) and the engine (when a monitor died and
// `down`/`ps` must finish its job): graceful stop steps with deadlines, then SIGKILL to the
// runtime's process group, then the driver's cleanup commands and the runtime directory.
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { LaunchPlan, StopStep } from '../drivers/driver';
import { runCommand } from '../runner';
import { qmpCommand } from './qmp';
import { unmountStrays } from './stray-mounts';

export const DEFAULT_STOP_WAIT_MS = 3000;

export function killGroup(pid: number, signal: NodeJS.Signals): void {
  // kill(0) and kill(-0) signal the caller's own process group, kill(-1) every process we may:
  // a missing or bogus pid must never reach them.
  if (!Number.isInteger(pid) || pid <= 1) return;
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

/**
 * Stops `pid` (the runtime process): each step, then SIGKILL; true once it is gone. `isRunning`
 * must say whether `pid` is still *that* process (the monitor: its child has not exited; the
 * engine: state/identity.ts), since every step signals whatever holds the pid now.
 */
export async function stopProcess(plan: LaunchPlan, pid: number, log: (s: string) => void, isRunning: () => boolean): Promise<boolean> {
  for (const step of plan.stop) {
    if (!isRunning()) return true;
    await runStep(step, pid, log);
    if (await waitGone(isRunning, step.waitMs ?? DEFAULT_STOP_WAIT_MS)) return true;
  }
  if (isRunning()) {
    log('stop: graceful steps did not end it, sending SIGKILL');
    killGroup(pid, 'SIGKILL');
    return waitGone(isRunning, 2000);
  }
  return true;
}

export const CGROUP_ROOT = '/sys/fs/cgroup';

/**
 * The cgroups a runtime made for sandbox `id` (runc and runsc name them after the container id,
 * one per v1 controller and one in the v2 tree). Under load runsc's own delete can run while its
 * sandbox is still exiting and leave them behind; an empty cgroup is removed here, and one that
 * still holds a process after `waitMs` is reported. The id is unique (random hex), so nothing
 * else is named so.
 */
export async function removeCgroups(id: string, log: (s: string) => void, root = CGROUP_ROOT, waitMs = 3000): Promise<boolean> {
  if (!/^[a-z0-9][a-z0-9_.-]*-[0-9a-f]{6}$/.test(id) || !existsSync(root)) return true;
  const dirs = (): string[] => {
    const out: string[] = [];
    for (const ctl of readdirSync(root)) {
      for (const p of [path.join(root, ctl, id), path.join(root, ctl, 'unified', id)]) if (existsSync(p)) out.push(p);
    }
    return out;
  };
  const deadline = Date.now() + waitMs;
  for (;;) {
    const left = dirs().filter((d) => {
      try {
        rmdirSync(d);
        return false;
      } catch {
        return existsSync(d);
      }
    });
    if (!left.length) return true;
    if (Date.now() > deadline) {
      log(`cleanup: cgroups still in use: ${left.join(', ')}`);
      return false;
    }
    await new Promise((r) => setTimeout(r, 50));
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
  // The runtime directory is named after the sandbox id, like its cgroups.
  if (!(await removeCgroups(path.basename(runDir), log))) ok = false;
  if ((await unmountStrays(runDir, log)).length) ok = false;
  try {
    rmSync(runDir, { recursive: true, force: true });
  } catch (err) {
    ok = false;
    log(`cleanup: could not remove ${runDir}: ${(err as Error).message}`);
  }
  return ok;
}
