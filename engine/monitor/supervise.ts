// What a monitor does for its one sandbox: start the runtime process from plan.json, record pid,
// timing, exit and output (capped) in the state directory, check readiness, and tear down on
// exit, on SIGTERM (`down`), or when its owner goes away.
import { appendFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { FILES, type SandboxStatus } from '../state/record';
import { readPlan, writeStatus } from '../state/store';
import { bootId } from '../state/identity';
import { CappedLog } from '../state/caplog';
import { fullDisks } from '../state/disk-errors';
import { startProcess } from '../runner';
import { isAlive, startTime } from '../host/procfs';
import { outputMatcher, waitFile, waitHttp } from '../lifecycle/readiness';
import { cleanupAfter, stopProcess } from '../lifecycle/teardown';
import { runBeforeSteps } from '../lifecycle/before';
import { oomExitReason } from '../lifecycle/oom';
import { describeExit } from '../lifecycle/exit-reason';
import type { FromMonitor, LaunchMessage } from './protocol';
import { ConsoleFilter } from '../vm/console-output';
import { DEFAULT_CONSOLE_CAP, tailFile, type Tail } from '../vm/console-tail';

const DEFAULT_READY_TIMEOUT_MS = 30_000;
// Read once at start-up (an idle warm monitor), not during a launch.
const MONITOR_START = startTime(process.pid);
const BOOT_ID = bootId();
// How much of a VMM's console log may pile up before it is emptied (tests set it small: a
// guest under TCG prints slowly).
const CONSOLE_CAP = Number(process.env.SPECTRUM_CONSOLE_LOG_CAP) || DEFAULT_CONSOLE_CAP;

export async function supervise(msg: LaunchMessage, send: (m: FromMonitor) => void, isDetached: () => boolean = () => false): Promise<number> {
  const { dir, runDir } = msg;
  const mlog = (s: string) => appendFileSync(path.join(dir, FILES.monitorLog), `${new Date().toISOString()} ${s}\n`, { mode: 0o600 });
  const plan = msg.plan ?? readPlan(dir);
  const status: SandboxStatus = { state: 'starting', monitorPid: process.pid, monitorStart: MONITOR_START, bootId: BOOT_ID };
  const save = () => writeStatus(dir, status);
  if (!plan) {
    Object.assign(status, { state: 'failed', reason: 'plan.json is missing or unreadable', cleaned: true });
    save();
    send({ type: 'exit', exitCode: null, signal: null, failed: true, reason: status.reason });
    return 1;
  }
  let ready = false;
  let exited = false;
  let stopping: Promise<void> | undefined;
  let failReason: string | undefined;

  status.startedAt = new Date().toISOString();
  const beforeError = plan.before?.length ? await runBeforeSteps(plan.before, mlog) : undefined;
  if (beforeError) {
    const cleaned = await cleanupAfter(plan, runDir, mlog);
    Object.assign(status, { state: 'failed', reason: beforeError, endedAt: new Date().toISOString(), cleaned });
    save();
    send({ type: 'exit', exitCode: null, signal: null, failed: true, reason: beforeError });
    return 1;
  }
  const { child } = startProcess(plan.process);
  // Everything below the spawn runs while the runtime starts up.
  const log = new CappedLog(path.join(dir, FILES.log));
  const exitInfo = new Promise<{ exitCode: number | null; signal: string | null; error?: string }>((resolve) => {
    child.on('error', (err: Error) => resolve({ exitCode: null, signal: null, error: err.message }));
    child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => resolve({ exitCode: code, signal }));
  });
  if (child.pid) {
    status.pid = child.pid;
    status.pidStart = startTime(child.pid);
    // A spawn-ready sandbox is saved as running just below: one write instead of two.
    if (plan.readiness.kind !== 'spawn') save();
  }

  const markReady = () => {
    if (ready || exited) return;
    ready = true;
    status.state = 'running';
    status.readyAt = new Date().toISOString();
    save();
    send({ type: 'ready' });
    if (plan.timeoutMs) setTimeout(() => void stop(`timed out after ${plan.timeoutMs} ms`), plan.timeoutMs).unref();
  };
  const matcher = plan.readiness.kind === 'output' ? outputMatcher(plan.readiness.pattern) : undefined;
  // VMs: output and exit code come from the guest's serial console (LaunchPlan.guestConsole).
  const guest = plan.guestConsole ? new ConsoleFilter(plan.guestConsole.nonce) : undefined;
  const showGuest = (shown: string) => {
    if (!shown) return;
    log.write(shown);
    if (msg.forwardOutput) send({ type: 'output', chunk: shown, stream: 'stdout' });
  };
  const onGuest = (data: Buffer) => {
    const raw = data.toString();
    if (matcher && matcher(raw)) markReady();
    showGuest(guest!.push(raw));
  };
  let tail: Tail | undefined;
  const onData = (stream: 'stdout' | 'stderr') => (data: Buffer) => {
    if (guest && !plan.guestConsole?.log && stream === 'stdout') return onGuest(data);
    const chunk = data.toString();
    // Forward first: someone may be timing launch to first output.
    if (msg.forwardOutput) send({ type: 'output', chunk, stream });
    log.write(data);
    if (matcher && matcher(chunk)) markReady();
  };
  child.stdout?.on('data', onData('stdout'));
  child.stderr?.on('data', onData('stderr'));
  if (plan.guestConsole?.log) tail = tailFile(plan.guestConsole.log, onGuest, 15, CONSOLE_CAP);

  const stop = (reason?: string): Promise<void> => {
    if (stopping) return stopping;
    if (reason && !ready) failReason = reason;
    if (reason) mlog(`stopping: ${reason}`);
    status.state = 'stopping';
    if (reason) status.reason = reason;
    save();
    stopping = child.pid && !exited ? stopProcess(plan, child.pid, mlog, () => !exited).then(() => undefined) : Promise.resolve();
    return stopping;
  };
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => void stop());
  if (msg.ownedByChannel) process.on('disconnect', () => {
    if (!isDetached()) void stop('owner went away');
  });
  let ownerTimer: NodeJS.Timeout | undefined;
  if (msg.ownerPid) {
    const owner = msg.ownerPid;
    // Its start time too: once the owner is gone its pid may soon be someone else's.
    const ownerStart = startTime(owner);
    ownerTimer = setInterval(() => {
      if (!isAlive(owner) || startTime(owner) !== ownerStart) void stop(`owner process ${owner} went away`);
    }, 1000);
  }

  if (plan.readiness.kind === 'spawn') markReady();
  else {
    const timeoutMs = plan.readiness.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    if (plan.readiness.kind === 'http') {
      waitHttp(plan.readiness.url, { intervalMs: plan.readiness.intervalMs, timeoutMs, isAlive: () => !exited }).then(markReady, (err: Error) => {
        if (!exited) void stop(`not ready: ${err.message}`);
      });
    } else if (plan.readiness.kind === 'file') {
      waitFile(plan.readiness.path, { timeoutMs, isAlive: () => !exited }).then(markReady, (err: Error) => {
        if (!exited) void stop(`not ready: ${err.message}`);
      });
    } else {
      setTimeout(() => {
        if (!ready && !exited) void stop(`not ready: no output matching /${matcher ? (plan.readiness as { pattern: string }).pattern : ''}/ within ${timeoutMs} ms`);
      }, timeoutMs).unref();
    }
  }

  const info = await exitInfo;
  tail?.stop();
  // A one-shot container can end before the next poll saw its pid file: it did start.
  if (plan.readiness.kind === 'file' && existsSync(plan.readiness.path)) markReady();
  exited = true;
  if (ownerTimer) clearInterval(ownerTimer);
  // Let piped output drain before closing the log.
  await new Promise((r) => setTimeout(r, 20));
  if (guest) showGuest(guest.flush());
  log.close();
  // A VM's exit code is the guest command's; the VMM's own (0 after power-off) says little.
  const exitCode = guest ? (guest.exitCode ?? null) : info.exitCode;
  if (guest && guest.exitCode === undefined && !info.error) {
    if (guest.panic) failReason = `the guest kernel died: ${guest.panic}`;
    else if (ready && !stopping) failReason = `the guest never reported its command's exit code (VMM exited with ${info.exitCode})`;
  }
  if (info.error) failReason = `could not start ${plan.process.command}: ${info.error}`;
  else if (!ready && !failReason) failReason = `${path.basename(plan.process.command)} exited (code ${info.exitCode}${info.signal ? `, ${info.signal}` : ''}) before it was ready`;
  const full = failReason ? fullDisks([dir, runDir]) : undefined;
  if (full) failReason = `${failReason}: ${full}`;
  if (stopping) await stopping;
  // Before cleanup, while the cgroup may still hold the counters (lifecycle/oom.ts).
  const oom = guest ? undefined : oomExitReason(path.basename(runDir), dir, { exitCode: info.exitCode, signal: info.signal }, plan.extra?.limits);
  const cleaned = await cleanupAfter(plan, runDir, mlog);
  Object.assign(status, {
    state: failReason ? 'failed' : 'exited',
    endedAt: new Date().toISOString(),
    exitCode,
    signal: info.signal,
    // An OOM kill says more than "exited before it was ready".
    reason: oom ?? failReason ?? status.reason,
    // A stop without a reason came from a signal to the monitor (down).
    exitReason: describeExit({ exitCode, signal: info.signal, reason: oom ?? failReason ?? status.reason, stoppedOnRequest: Boolean(stopping) }),
    ...(oom ? { oomKilled: true } : {}),
    cleaned,
  });
  save();
  send({ type: 'exit', exitCode, signal: info.signal, failed: Boolean(failReason), reason: failReason });
  return 0;
}
