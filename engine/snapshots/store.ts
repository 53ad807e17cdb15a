// Snapshots on disk: one folder per snapshot under the cache (they can be large and are
// re-creatable, so they are pruned with the cache), holding the runtime's image and
// snapshot.json: what was saved, from which sandbox, and the spec to start it again.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Isolation, SandboxSpec } from '../spec/types';
import type { EnginePaths } from '../state/paths';
import { readJson, writeJsonAtomic } from '../state/store';
import { EngineError } from '../errors';
import type { QemuInputs } from './qemu-inputs';

export interface SnapshotMeta {
  name: string;
  /** The sandbox it was taken from. */
  sourceId: string;
  sourceName: string;
  isolation: Isolation;
  runtime: string;
  runtimeVersion?: string;
  createdAt: string;
  /** How long taking it took. */
  durationMs: number;
  /** Size of the runtime's image, bytes. */
  sizeBytes: number;
  /** The source sandbox's spec: a restore launches it again from the saved state. */
  spec: SandboxSpec;
  /** Runtime flags the image depends on (a restore must use the same). */
  platform?: string;
  /** microvm/vm: what a restore needs beside the memory file (engine/snapshots/qemu-*.ts). */
  vm?: VmSnapshotMeta;
}

export interface VmSnapshotMeta {
  /** The nonce the saved guest's /init tags its exit line with. */
  nonce: string;
  inputs: QemuInputs;
  inputsHash: string;
  /** Host wall clock (ms) when the guest stopped: a restore steps its clock by the time since. */
  stoppedAt: number;
  memoryBytes: number;
  guestMemoryMiB: number;
  /** Writable disks saved with it: drive id -> file in the snapshot folder. */
  disks: Record<string, string>;
}

export interface SnapshotEntry extends SnapshotMeta {
  /** The folder holding the image and snapshot.json. */
  path: string;
}

const META = 'snapshot.json';
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const snapshotsDir = (p: EnginePaths): string => path.join(p.cache, 'snapshots');

export function checkName(name: string): string {
  if (!NAME.test(name)) throw new EngineError(`'${name}' is not a snapshot name: letters, digits, _ . - (up to 64), starting with a letter or digit`);
  return name;
}

export function defaultName(sourceName: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${sourceName.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 40) || 'snapshot'}-${stamp}`;
}

/** A new, empty snapshot folder; refuses a name that exists. */
export function newSnapshotDir(p: EnginePaths, name: string): string {
  const dir = path.join(snapshotsDir(p), checkName(name));
  mkdirSync(snapshotsDir(p), { recursive: true, mode: 0o700 });
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new EngineError(`a snapshot named '${name}' exists`, [], `pick another --name, or delete it first`);
    throw err;
  }
  return dir;
}

/** The fields every level's snapshot records about its source. */
export function sourceMeta(src: { id: string; record: { name: string; isolation: Isolation; runtime: string; spec: SandboxSpec }; plan: { runtimeVersion?: string } }, name: string, durationMs: number, sizeBytes: number): SnapshotMeta {
  const { record } = src;
  return {
    name,
    sourceId: src.id,
    sourceName: record.name,
    isolation: record.isolation,
    runtime: record.runtime,
    runtimeVersion: src.plan.runtimeVersion,
    createdAt: new Date().toISOString(),
    durationMs: Math.round(durationMs),
    sizeBytes,
    spec: record.spec,
  };
}

export function saveMeta(dir: string, meta: SnapshotMeta): void {
  writeJsonAtomic(path.join(dir, META), meta);
}

export function readSnapshot(p: EnginePaths, name: string): SnapshotEntry {
  const dir = path.join(snapshotsDir(p), checkName(name));
  const meta = readJson<SnapshotMeta>(path.join(dir, META));
  if (!meta) throw new EngineError(`no snapshot '${name}' (see spectrum snapshots)`);
  return { ...meta, path: dir };
}

export function listSnapshots(p: EnginePaths): SnapshotEntry[] {
  const root = snapshotsDir(p);
  if (!existsSync(root)) return [];
  const out: SnapshotEntry[] = [];
  for (const name of readdirSync(root).sort()) {
    const meta = readJson<SnapshotMeta>(path.join(root, name, META));
    if (meta) out.push({ ...meta, path: path.join(root, name) });
  }
  return out;
}

export function deleteSnapshot(p: EnginePaths, name: string): void {
  const s = readSnapshot(p, name);
  rmSync(s.path, { recursive: true, force: true });
}

export function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, e.name);
    total += e.isDirectory() ? dirBytes(f) : statSync(f).size;
  }
  return total;
}
