// Taking a snapshot of a running sandbox, per level: gVisor (runsc checkpoint, here) and QEMU
// microVMs/VMs (qemu-snapshot.ts); the other levels are refused with the reason.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { LaunchPlan } from '../drivers/driver';
import type { SandboxRecord } from '../state/record';
import type { EnginePaths } from '../state/paths';
import { EngineError } from '../errors';
import { runCommand } from '../runner';
import { isPaused } from './pause';
import { checkpointCommand, CHECKPOINT_TIMEOUT_MS, IMAGE_DIR, restorePlan } from './gvisor';
import { qemuRestorePlan } from './qemu-restore';
import { refreshSource, saveVmSnapshot, VM_LEVELS } from './qemu-snapshot';
import { defaultName, dirBytes, newSnapshotDir, saveMeta, sourceMeta, type SnapshotEntry, type SnapshotMeta } from './store';

const PLANNED: Record<string, string> = {
  container: 'container snapshots are planned through CRIU (`runc checkpoint`, needs the criu package)',
  isolate: 'an isolate keeps no state between requests worth saving, and a warm isolate starts in milliseconds',
};

export function refuseSnapshot(isolation: string): EngineError {
  return new EngineError(`snapshots exist for gvisor, microvm and vm sandboxes: ${PLANNED[isolation] ?? `no snapshots for ${isolation}`}`);
}

export interface SnapshotSource {
  id: string;
  dir: string;
  record: SandboxRecord;
  plan: LaunchPlan;
}

export async function takeSnapshot(src: SnapshotSource, paths: EnginePaths, name?: string): Promise<SnapshotEntry> {
  const { record, plan } = src;
  if (VM_LEVELS.has(record.isolation)) {
    const { entry, saved } = await saveVmSnapshot(src, paths, { name });
    await refreshSource(plan, saved);
    return entry;
  }
  if (record.isolation === 'container') throw await (await import('./criu')).containerSnapshotRefusal(src.id);
  if (record.isolation !== 'gvisor') throw refuseSnapshot(record.isolation);
  if (plan.process.command === 'nsenter') {
    throw new EngineError(`${src.id}: a gVisor sandbox with network: ${record.spec.network} can't be checkpointed yet (its network namespace is not part of the image)`, [], 'snapshot sandboxes with network: none');
  }
  if (isPaused(src.dir)) throw new EngineError(`${src.id} is paused: runsc checkpoints running sandboxes`, [], `spectrum resume ${src.id}`);
  const snapName = name ?? defaultName(record.name);
  const dir = newSnapshotDir(paths, snapName);
  const image = path.join(dir, IMAGE_DIR);
  mkdirSync(image);
  const t0 = performance.now();
  const r = await runCommand(checkpointCommand(plan, src.id, image), { timeoutMs: CHECKPOINT_TIMEOUT_MS }).catch((err: Error) => ({ exitCode: -1, stdout: '', stderr: err.message }));
  const durationMs = performance.now() - t0;
  if (r.exitCode !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const why = r.stderr.trim().split('\n').filter((l) => !/^\s/.test(l)).slice(0, 2).join('\n') || `exit ${r.exitCode}`;
    throw new EngineError(`${src.id}: runsc checkpoint failed: ${why}`);
  }
  const meta: SnapshotMeta = {
    ...sourceMeta(src, snapName, durationMs, dirBytes(image)),
    platform: typeof plan.extra?.platform === 'string' ? plan.extra.platform : undefined,
  };
  saveMeta(dir, meta);
  return { ...meta, path: dir };
}

/** Refuses a snapshot this host can't restore (other level, or the runtime changed since). */
export function checkRestorable(s: SnapshotEntry, runtimeVersion: string | undefined): void {
  // A VM snapshot's inputs (QEMU version among them) are checked against the prepared launch.
  if (VM_LEVELS.has(s.isolation)) return;
  if (s.isolation !== 'gvisor') throw refuseSnapshot(s.isolation);
  if (s.runtimeVersion && runtimeVersion && s.runtimeVersion !== runtimeVersion) {
    throw new EngineError(`snapshot ${s.name} was taken with runsc ${s.runtimeVersion}; this host has ${runtimeVersion}, which can't restore it`, [], 'take a new snapshot');
  }
}

/** The prepared launch of a snapshot's spec, made to restore it instead of starting afresh. */
export function restoredPlan(plan: LaunchPlan, snap: SnapshotEntry, dir: string): LaunchPlan {
  return VM_LEVELS.has(snap.isolation) ? qemuRestorePlan(plan, snap, dir) : restorePlan(plan, snap.path);
}
