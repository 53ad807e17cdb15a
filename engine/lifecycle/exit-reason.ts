// One sentence saying why an ended sandbox ended, for inspect (`extra.exitReason`), ps and the
// Sandboxes view's tooltip: a failure's reason, an OOM kill, a stop on request, a signal, or the
// exit code. The monitor records it when the sandbox ends; older records get it derived here.
import type { SandboxStatus } from '../state/record';

export interface ExitFacts {
  exitCode?: number | null;
  signal?: string | null;
  /** A failure's or a stop's reason (timed out, owner went away, out of memory...). */
  reason?: string;
  /** `down` (or a signal to the monitor) asked for the stop. */
  stoppedOnRequest?: boolean;
}

export function describeExit(e: ExitFacts): string {
  if (e.reason) return e.reason;
  if (e.stoppedOnRequest) return `stopped on request${e.exitCode !== undefined && e.exitCode !== null ? ` (exit code ${e.exitCode})` : ''}`;
  if (e.signal) return `killed by ${e.signal}`;
  if (e.exitCode === null || e.exitCode === undefined) return 'ended without an exit code';
  return `exited with code ${e.exitCode}`;
}

/** The recorded reason of an ended sandbox, or one derived from its status; undefined while it runs. */
export function exitReasonOf(status: SandboxStatus | undefined, effective: { state: string; reason?: string }): string | undefined {
  if (effective.state !== 'exited' && effective.state !== 'failed') return undefined;
  if (status?.exitReason) return status.exitReason;
  return describeExit({ exitCode: status?.exitCode, signal: status?.signal, reason: effective.reason });
}

/** Inspect's fields for an ended sandbox: `exitReason` always, `oomKilled` when the kernel killed it for memory. */
export function endedFields(status: SandboxStatus | undefined, effective: { state: string; reason?: string }): { exitReason?: string; oomKilled?: true } {
  const exitReason = exitReasonOf(status, effective);
  if (!exitReason) return {};
  return { exitReason, ...(status?.oomKilled ? { oomKilled: true as const } : {}) };
}
