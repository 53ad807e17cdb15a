// Reading and writing a sandbox's state files. Writes are atomic (write a temp file, rename), so
// a reader in another window or CLI never sees half a file; after each write the sandboxes
// directory's `.changed` stamp is touched, which is what engine watchers listen to. Files are
// private to their user (0600): a record holds the spec's environment values.
import { promises as fs, readFileSync, writeFileSync, renameSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { FILES, type SandboxRecord, type SandboxStatus } from './record';
import { isOurProcess } from './identity';
import type { LaunchPlan } from '../drivers/driver';

export const CHANGED_STAMP = '.changed';

export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(value, null, 2), { mode: 0o600 });
    renameSync(tmp, file);
  } catch (err) {
    // A full disk leaves half a temp file: nothing half-written may stay behind.
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Tells watchers something under `sandboxesDir` changed. */
export function touchChanged(sandboxesDir: string): void {
  try {
    writeFileSync(path.join(sandboxesDir, CHANGED_STAMP), String(Date.now()));
  } catch {
    // The directory may be gone after the last `down`; nobody is left to tell.
  }
}

export function readRecord(dir: string): SandboxRecord | undefined {
  return readJson<SandboxRecord>(path.join(dir, FILES.record));
}

export function readStatus(dir: string): SandboxStatus | undefined {
  return readJson<SandboxStatus>(path.join(dir, FILES.status));
}

export function readPlan(dir: string): LaunchPlan | undefined {
  return readJson<LaunchPlan>(path.join(dir, FILES.plan));
}

export function writeStatus(dir: string, status: SandboxStatus): void {
  writeJsonAtomic(path.join(dir, FILES.status), status);
  touchChanged(path.dirname(dir));
}

export async function listSandboxIds(sandboxesDir: string): Promise<string[]> {
  if (!existsSync(sandboxesDir)) return [];
  const names = await fs.readdir(sandboxesDir, { withFileTypes: true });
  return names.filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name).sort();
}

/** The monitor of this status is alive and is the one that wrote it (same boot, same start). */
export function monitorAlive(status: SandboxStatus | undefined): boolean {
  return Boolean(status) && isOurProcess({ pid: status!.monitorPid, start: status!.monitorStart, boot: status!.bootId });
}

/** The runtime process of this status is alive and is the one recorded. */
export function runtimeAlive(status: SandboxStatus | undefined): boolean {
  return Boolean(status?.pid) && isOurProcess({ pid: status!.pid, start: status!.pidStart, boot: status!.bootId });
}
