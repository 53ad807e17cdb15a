// `fork`: N independent copies of a running microVM/VM. One snapshot (kept only until the copies
// run), restored N times in parallel; the source goes on. All or nothing: when one copy fails,
// the others are torn down and the error is reported.
import { rmSync } from 'node:fs';
import type { SandboxInfo } from '../api';
import type { EnginePaths } from '../state/paths';
import { EngineError } from '../errors';
import { refreshSource, saveVmSnapshot, VM_LEVELS } from './qemu-snapshot';
import type { SavedVm } from './qemu-save';
import type { SnapshotEntry } from './store';
import type { SnapshotSource } from './take';

export const MAX_FORKS = 16;

const NO_FORK: Record<string, string> = {
  gvisor: "this runsc can't checkpoint a sandbox and leave it running: take a snapshot and restore it twice instead",
  isolate: 'an isolate keeps no state between requests: launch another one (warm isolates start in milliseconds)',
};

export function checkForkCount(count: number): number {
  if (!Number.isInteger(count) || count < 1 || count > MAX_FORKS) throw new EngineError(`fork count must be a whole number from 1 to ${MAX_FORKS}, got ${count}`);
  return count;
}

type Saved = { entry: SnapshotEntry; saved: SavedVm };

export interface ForkSteps {
  /** Saves under the source's lock. */
  save(take: () => Promise<Saved>): Promise<Saved>;
  restore(entry: SnapshotEntry): Promise<SandboxInfo>;
  down(id: string): Promise<unknown>;
}

export async function forkVm(src: SnapshotSource, paths: EnginePaths, count: number, steps: ForkSteps): Promise<SandboxInfo[]> {
  if (src.record.isolation === 'container') throw await (await import('./criu')).containerSnapshotRefusal(src.id);
  if (!VM_LEVELS.has(src.record.isolation)) throw new EngineError(`${src.id}: fork exists for microvm and vm sandboxes; ${NO_FORK[src.record.isolation] ?? `not for ${src.record.isolation}`}`);
  checkForkCount(count);
  const { entry, saved } = await steps.save(() => saveVmSnapshot(src, paths, { forFork: true }));
  try {
    const source = refreshSource(src.plan, saved);
    const copies = await Promise.allSettled(Array.from({ length: count }, () => steps.restore(entry)));
    await source.catch(() => undefined);
    const failed = copies.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const made = copies.filter((r): r is PromiseFulfilledResult<SandboxInfo> => r.status === 'fulfilled').map((r) => r.value);
    if (failed) {
      for (const c of made) await steps.down(c.id).catch(() => undefined);
      throw failed.reason;
    }
    return made;
  } finally {
    // Each copy's QEMU has read the whole memory file by the time it runs; disks were copied.
    rmSync(entry.path, { recursive: true, force: true });
  }
}
