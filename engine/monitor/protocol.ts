import type { LaunchPlan } from '../drivers/driver';

// Messages between the engine and a monitor over the monitor's IPC channel. The channel is also
// the ownership link: a monitor whose owner keeps it (a VS Code window, `spectrum run`) tears its
// sandbox down when the channel closes, i.e. when the owning process goes away for any reason.

export interface LaunchMessage {
  type: 'launch';
  /** The sandbox's state directory (record.json and plan.json are already there). */
  dir: string;
  runDir: string;
  /** Tear down when the IPC channel closes (unless a `detach` came first). */
  ownedByChannel: boolean;
  /** Also tear down when this pid dies (checked each second). */
  ownerPid?: number;
  /** Forward output chunks over the channel (for onOutput / `run`). */
  forwardOutput: boolean;
  /**
   * The plan itself, so the monitor need not read it back. The engine has written plan.json and
   * record.json before sending this: a SIGKILL of either process at any point after the runtime
   * starts leaves a sandbox that ps/down know how to find and tear down. Without it the monitor
   * reads plan.json from `dir`.
   */
  plan?: LaunchPlan;
}

/** The engine is leaving on purpose; the sandbox keeps running (owner `cli`). */
export interface DetachMessage {
  type: 'detach';
}

export type ToMonitor = LaunchMessage | DetachMessage;

export type FromMonitor =
  | { type: 'idle' }
  /** The monitor is leaving (all it did is on disk). */
  | { type: 'bye' }
  | { type: 'ready' }
  | { type: 'output'; chunk: string; stream: 'stdout' | 'stderr' }
  | { type: 'exit'; exitCode: number | null; signal: string | null; failed: boolean; reason?: string };
