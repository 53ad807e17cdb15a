// A snapshot of a running microVM or VM, and its source going on: saved into the snapshot store
// (or a hidden folder for a fork's one-use snapshot) with what a restore needs and checks.
import { mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { EnginePaths } from '../state/paths';
import { EngineError } from '../errors';
import { refreshGuest, type GuestRefresh } from '../vm/warm-guest';
import { inputsHash, qemuInputs } from './qemu-inputs';
import { checkSavable, saveRunningVm, type SavedVm } from './qemu-save';
import { defaultName, dirBytes, newSnapshotDir, saveMeta, snapshotsDir, sourceMeta, type SnapshotEntry, type SnapshotMeta } from './store';
import type { SnapshotSource } from './take';

export const VM_LEVELS: ReadonlySet<string> = new Set(['microvm', 'vm']);

/** Where a fork keeps the snapshot its copies start from, until they run (not listed). */
function forkDir(p: EnginePaths): string {
  const dir = path.join(snapshotsDir(p), '.forks', `${Date.now()}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export async function saveVmSnapshot(src: SnapshotSource, paths: EnginePaths, o: { name?: string; forFork?: boolean; dir?: string }): Promise<{ entry: SnapshotEntry; saved: SavedVm }> {
  const { record, plan } = src;
  const nonce = plan.guestConsole?.nonce;
  if (!nonce) throw new EngineError(`${src.id}: its launch plan has no guest console nonce: it can't be snapshotted`);
  checkSavable(src.id, plan);
  const name = o.forFork ? `fork-of-${src.id}` : (o.name ?? defaultName(record.name));
  if (o.dir) mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const dir = o.dir ?? (o.forFork ? forkDir(paths) : newSnapshotDir(paths, name));
  const t0 = performance.now();
  try {
    const saved = await saveRunningVm(src.id, plan, dir);
    const inputs = qemuInputs(plan);
    const meta: SnapshotMeta = {
      ...sourceMeta(src, name, performance.now() - t0, dirBytes(dir)),
      vm: { nonce, inputs, inputsHash: inputsHash(inputs), stoppedAt: saved.stoppedAt, memoryBytes: saved.memoryBytes, guestMemoryMiB: inputs.memoryMiB, disks: saved.disks },
    };
    saveMeta(dir, meta);
    return { entry: { ...meta, path: dir }, saved };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The source's clock stood still while it was saved: step it forward again. */
export async function refreshSource(plan: SnapshotSource['plan'], saved: SavedVm): Promise<GuestRefresh | undefined> {
  const agent = plan.extra?.agentSocket;
  if (typeof agent !== 'string' || saved.resumedAt === undefined) return undefined;
  return refreshGuest(agent, { clockStepMs: saved.resumedAt - saved.stoppedAt, reseed: false, identity: false });
}
