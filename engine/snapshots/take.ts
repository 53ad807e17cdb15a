// Taking a snapshot of a running sandbox, per level. gVisor only for now; the other levels are
// refused with the reason and what is planned for them.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { LaunchPlan } from '../drivers/driver';
import type { SandboxRecord } from '../state/record';
import type { EnginePaths } from '../state/paths';
import { EngineError } from '../errors';
import { runCommand } from '../runner';
import { isPaused } from './pause';
import { checkpointCommand, CHECKPOINT_TIMEOUT_MS, IMAGE_DIR } from './gvisor';
import { defaultName, dirBytes, newSnapshotDir, saveMeta, type SnapshotEntry, type SnapshotMeta } from './store';

const PLANNED: Record<string, string> = {
  container: 'container snapshots are planned through CRIU (`runc checkpoint`, needs the criu package)',
  microvm: 'microVM snapshots are planned through QEMU migration to a file (save, restore, fork)',
  vm: 'VM snapshots are planned through QEMU migration to a file (save, restore, fork)',
  isolate: 'an isolate keeps no state between requests worth saving, and a warm isolate starts in milliseconds',
};

export function refuseSnapshot(isolation: string): EngineError {
  return new EngineError(`snapshots exist only for gvisor sandboxes so far: ${PLANNED[isolation] ?? `no snapshots for ${isolation}`}`);
}

export interface SnapshotSource {
  id: string;
  dir: string;
  record: SandboxRecord;
  plan: LaunchPlan;
}

export async function takeSnapshot(src: SnapshotSource, paths: EnginePaths, name?: string): Promise<SnapshotEntry> {
  const { record, plan } = src;
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
    name: snapName,
    sourceId: src.id,
    sourceName: record.name,
    isolation: record.isolation,
    runtime: record.runtime,
    runtimeVersion: plan.runtimeVersion,
    createdAt: new Date().toISOString(),
    durationMs: Math.round(durationMs),
    sizeBytes: dirBytes(image),
    spec: record.spec,
    platform: typeof plan.extra?.platform === 'string' ? plan.extra.platform : undefined,
  };
  saveMeta(dir, meta);
  return { ...meta, path: dir };
}

/** Refuses a snapshot this host can't restore (other level, or the runtime changed since). */
export function checkRestorable(s: SnapshotEntry, runtimeVersion: string | undefined): void {
  if (s.isolation !== 'gvisor') throw refuseSnapshot(s.isolation);
  if (s.runtimeVersion && runtimeVersion && s.runtimeVersion !== runtimeVersion) {
    throw new EngineError(`snapshot ${s.name} was taken with runsc ${s.runtimeVersion}; this host has ${runtimeVersion}, which can't restore it`, [], 'take a new snapshot');
  }
}
