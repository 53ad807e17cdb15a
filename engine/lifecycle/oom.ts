// Whether the kernel's OOM killer ended a sandbox's workload inside the sandbox's memory cgroup,
// and the exit reason that says so. runc and runsc name the sandbox's cgroups after its id and
// remove them (with the memory.events / memory.oom_control counters in them) as the workload
// ends, usually before the monitor even sees the exit. So the counters are read when the cgroup
// is still there, and otherwise the kernel's log is, whose OOM report names the cgroup the limit
// was hit in ("oom-kill:... oom_memcg=/ID, ...") and outlives it.
import { closeSync, existsSync, openSync, constants, readFileSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { CGROUP_ROOT } from './teardown';
import { readRecord } from '../state/store';

const KMSG = '/dev/kmsg';
/** A kmsg record is at most about 1 KiB of text plus its dictionary; a read returns one record. */
const RECORD_BYTES = 8192;
/** Bounds the scan of a huge log buffer (records are read one per system call). */
const MAX_RECORDS = 200_000;

/** oom_kill from a cgroup's memory.events (v2) or memory.oom_control (v1) text. */
export function oomKillCount(text: string): number {
  const m = /^oom_kill (\d+)$/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/** The OOM kills the counters of the sandbox's memory cgroups still show (0 when they are gone). */
export function oomKillsFromCgroups(id: string, root = CGROUP_ROOT): number {
  if (!existsSync(root)) return 0;
  let kills = 0;
  const dirs = [path.join(root, id), ...readdirSync(root).flatMap((ctl) => [path.join(root, ctl, id), path.join(root, ctl, 'unified', id)])];
  for (const dir of dirs) {
    for (const file of ['memory.events', 'memory.oom_control']) {
      try {
        kills += oomKillCount(readFileSync(path.join(dir, file), 'utf8'));
      } catch {
        // Not this controller, or already removed.
      }
    }
  }
  return kills;
}

/** Whether a kernel log message reports an OOM kill whose limit was hit in cgroup `id` (or below it). */
export function isOomReportFor(message: string, id: string): boolean {
  const m = /^oom-kill:.*\boom_memcg=([^,\s]*)/.exec(message);
  if (!m) return false;
  return m[1].split('/').includes(id);
}

/**
 * Reads the kernel log (without consuming it: /dev/kmsg gives every reader its own position)
 * for an OOM report naming cgroup `id`. Undefined when the log cannot be read (not root, or
 * dmesg_restrict), so the caller can say it could not tell.
 */
export function oomReportedInKernelLog(id: string, kmsg = KMSG): boolean | undefined {
  let fd: number;
  try {
    fd = openSync(kmsg, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  const buf = Buffer.alloc(RECORD_BYTES);
  try {
    for (let n = 0; n < MAX_RECORDS; n++) {
      let len: number;
      try {
        len = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // EAGAIN: the end of the log. EPIPE: records were overwritten while reading; go on.
        if (code === 'EPIPE') continue;
        return code === 'EAGAIN' ? false : undefined;
      }
      if (len === 0) return false;
      const record = buf.toString('utf8', 0, len);
      // "PRIORITY,SEQUENCE,TIMESTAMP,FLAGS;MESSAGE\n continuation lines"
      const message = record.slice(record.indexOf(';') + 1).split('\n')[0];
      if (isOomReportFor(message, id)) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Whether sandbox `id`'s workload was OOM-killed in its own cgroup; undefined when nothing can tell. */
export function wasOomKilled(id: string): boolean | undefined {
  if (oomKillsFromCgroups(id) > 0) return true;
  return oomReportedInKernelLog(id);
}

/** An end the OOM killer may have caused: a signal or a non-zero code (runc says 137, runsc may say less). */
export function endedAbnormally(exit: { exitCode: number | null; signal: string | null }): boolean {
  return exit.signal !== null || (exit.exitCode !== null && exit.exitCode !== 0);
}

export function oomReason(limitBytes: number | undefined): string {
  return `killed: out of memory${limitBytes ? ` (limit ${Math.round(limitBytes / 1024 / 1024)} MiB)` : ''}`;
}

/**
 * The monitor's question once the runtime ended (before cleanup removes the cgroups): the OOM
 * reason, with the spec's memory limit, when the kernel killed sandbox `id`'s workload for memory.
 * Only an abnormal end is looked into, so a clean exit costs nothing.
 */
export function oomExitReason(id: string, dir: string, exit: { exitCode: number | null; signal: string | null }, limits?: unknown): string | undefined {
  if (!endedAbnormally(exit) || !wasOomKilled(id)) return undefined;
  // The limit applied (the engine's defaults included: plan.extra.limits), else the spec's.
  const applied = (limits as { memoryBytes?: unknown } | undefined)?.memoryBytes;
  return oomReason(typeof applied === 'number' ? applied : readRecord(dir)?.spec.resources?.memoryBytes);
}
