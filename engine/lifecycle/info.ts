// Builds SandboxInfo from a sandbox's state files and reality. A status that says running while
// its monitor is gone means the monitor died (or the machine rebooted): ps reports it failed,
// and reconcile() finishes the tear-down the monitor could not.
import path from 'node:path';
import type { SandboxInfo, SandboxState } from '../api';
import { FILES, type SandboxRecord, type SandboxStatus } from '../state/record';
import type { LaunchPlan } from '../drivers/driver';
import { monitorAlive, readPlan, readRecord, readStatus, runtimeAlive } from '../state/store';
import { sampleCpuPercent, treeUsage } from '../host/procfs';
import { isOurProcess } from '../state/identity';
import { publishedPort } from './published-ports';
import { endedFields } from './exit-reason';

/** A launch that has written record.json but whose monitor never reported is given this long. */
export const LAUNCH_GRACE_MS = 60_000;

export interface Loaded {
  id: string;
  dir: string;
  record: SandboxRecord;
  status?: SandboxStatus;
  plan?: LaunchPlan;
  /** The monitor process is alive (and is ours: same boot, same start time, not a reused pid). */
  monitorAlive: boolean;
}

export function loadSandbox(sandboxesDir: string, id: string): Loaded | undefined {
  const dir = path.join(sandboxesDir, id);
  const record = readRecord(dir);
  if (!record) return undefined;
  const status = readStatus(dir);
  return { id, dir, record, status, plan: readPlan(dir), monitorAlive: monitorAlive(status) };
}

export function effectiveState(l: Loaded, now = Date.now()): { state: SandboxState; reason?: string } {
  const s = l.status;
  if (!s) {
    const age = now - Date.parse(l.record.createdAt);
    // The process preparing it is known to be gone: no need to wait out the grace period.
    const launcherGone = l.record.launcher !== undefined && !isOurProcess(l.record.launcher);
    return age < LAUNCH_GRACE_MS && !launcherGone ? { state: 'starting' } : { state: 'failed', reason: 'the launch was interrupted before its monitor started' };
  }
  if ((s.state === 'running' || s.state === 'starting' || s.state === 'stopping') && !l.monitorAlive) {
    return { state: 'failed', reason: 'its monitor died; ps cleans up what is left' };
  }
  return { state: s.state, reason: s.reason };
}

export async function toInfo(l: Loaded, opts: { usage?: boolean } = {}): Promise<SandboxInfo> {
  const { record, status, plan } = l;
  const { state, reason } = effectiveState(l);
  const info: SandboxInfo = {
    id: l.id,
    name: record.name,
    owner: record.owner,
    isolation: record.isolation,
    runtime: record.runtime,
    runtimeVersion: plan?.runtimeVersion,
    state,
    pid: status?.pid,
    startedAt: status?.startedAt,
    exitCode: status?.exitCode,
    network: plan?.network ?? record.spec.network,
    rootfs: plan?.rootfs,
    specPath: record.specPath,
    logPath: path.join(l.dir, FILES.log),
    url: plan?.url,
    // Only when the driver published them (plan.extra.ports): a spec's ports: on a sandbox without
    // a network publish nothing.
    extra: { ...(plan?.extra ?? {}), ...(Array.isArray(plan?.extra?.ports) && record.spec.ports?.length ? { publishedPorts: record.spec.ports.map(publishedPort) } : {}), ...(reason ? { reason } : {}), ...endedFields(status, { state, reason }), ...(status?.endedAt ? { endedAt: status.endedAt } : {}) },
  };
  if (status?.startedAt) {
    const end = status.endedAt ? Date.parse(status.endedAt) : Date.now();
    info.uptimeMs = Math.max(0, end - Date.parse(status.startedAt));
  }
  if (opts.usage && state === 'running' && status?.pid && runtimeAlive(status)) {
    const u = treeUsage(status.pid);
    info.memoryBytes = u.memoryBytes;
    info.cpuPercent = Math.round((await sampleCpuPercent(status.pid, 250)) * 10) / 10;
    info.extra = { ...info.extra, processes: u.pids.length, cpuSeconds: u.cpuSeconds };
  }
  return info;
}
