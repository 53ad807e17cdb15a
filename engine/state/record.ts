// What the state directory holds for one sandbox. `record.json` is written by the engine at
// launch (who, what, where); `status.json` is written by the sandbox's monitor only (pid, exit,
// timing), so every file has a single writer and needs no lock to stay consistent.
import type { Isolation, SandboxSpec } from '../spec/types';
import type { LaunchPlan } from '../drivers/driver';
import type { ProcessRef } from './identity';

export interface SandboxRecord {
  id: string;
  name: string;
  owner: string;
  isolation: Isolation;
  runtime: string;
  specPath?: string;
  createdAt: string;
  spec: SandboxSpec;
  /** The engine process preparing the launch, until a monitor writes status.json. */
  launcher?: ProcessRef;
  /** The monitor given the launch (it writes status.json from then on). */
  monitor?: ProcessRef;
}

export type MonitorState = 'starting' | 'running' | 'stopping' | 'exited' | 'failed';

export interface SandboxStatus {
  state: MonitorState;
  monitorPid: number;
  /** Kernel start time of the monitor (clock ticks), to tell a reused pid from ours. */
  monitorStart?: number;
  /** The runtime process (the monitor's child) and its start time. */
  pid?: number;
  pidStart?: number;
  /** The boot both pids belong to: after a reboot they name strangers (state/identity.ts). */
  bootId?: string;
  startedAt?: string;
  readyAt?: string;
  endedAt?: string;
  exitCode?: number | null;
  signal?: string | null;
  /** Why it failed (launch error, readiness timeout, owner gone...) or was killed (out of memory). */
  reason?: string;
  /** Why it ended, in one sentence (lifecycle/exit-reason.ts), once it has. */
  exitReason?: string;
  /** The kernel's OOM killer ended the workload inside the sandbox's memory cgroup (lifecycle/oom.ts). */
  oomKilled?: boolean;
  /** Teardown finished: no process, mount or runtime state is left. */
  cleaned?: boolean;
}

export const FILES = {
  record: 'record.json',
  plan: 'plan.json',
  status: 'status.json',
  log: 'output.log',
  monitorLog: 'monitor.log',
} as const;

export type { LaunchPlan };
