// Telling our processes from strangers. A pid alone names a process only until it exits: after
// that the kernel hands the number to someone else, and after a reboot every number is someone
// else's. So records keep the pid with its kernel start time and the boot id, and nothing is
// ever signalled unless all three still match.
import { readFileSync } from 'node:fs';
import { isAlive, startTime } from '../host/procfs';

export interface ProcessRef {
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22). */
  start?: number;
  /** /proc/sys/kernel/random/boot_id when the process was recorded. */
  boot?: string;
}

let cachedBoot: string | undefined;

/** This boot's id; changes on every reboot. */
export function bootId(): string {
  if (cachedBoot === undefined) {
    try {
      cachedBoot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBoot = '';
    }
  }
  return cachedBoot;
}

/** A reference to a live process of ours, taken now. */
export function refOf(pid: number): ProcessRef {
  return { pid, start: startTime(pid), boot: bootId() };
}

/**
 * True only when the process is alive and provably the one recorded: same boot, same start time.
 * A record without a start time or boot id proves nothing and matches nothing.
 */
export function isOurProcess(ref: Partial<ProcessRef> | undefined): boolean {
  if (!ref?.pid || ref.start === undefined || !ref.boot) return false;
  if (ref.boot !== bootId()) return false;
  if (!isAlive(ref.pid)) return false;
  return startTime(ref.pid) === ref.start;
}
