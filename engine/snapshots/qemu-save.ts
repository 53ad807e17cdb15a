// Saving a running QEMU microVM/VM: stop its vCPUs, stream RAM and device state to a file with
// QMP `migrate`, copy its writable disks while nothing can write them, and let it go on. QEMU 7.2
// has no `file:` migration URI, and Node can't pass a file descriptor over QMP (`getfd` needs
// SCM_RIGHTS), so the stream goes through `exec:`, which QEMU runs with /bin/sh: the command is a
// fixed `cat` and the only variable part, our own path, is single-quoted.
import { copyFileSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { LaunchPlan } from '../drivers/driver';
import { EngineError } from '../errors';
import { shQuote } from '../vm/init-script';
import { QmpClient } from '../vm/qmp';

export const MEMORY_FILE = 'memory.bin';
const MIGRATE_TIMEOUT_MS = 180_000;

export interface QemuDriveArg {
  id: string;
  file: string;
  readOnly: boolean;
  /** QEMU's own throw-away overlay (`snapshot=on`): an unlinked temp file we can't copy. */
  throwAway: boolean;
}

/** The `-drive` options of a QEMU argv (values with a doubled comma are one comma). */
export function driveArgs(args: string[]): QemuDriveArg[] {
  const out: QemuDriveArg[] = [];
  args.forEach((a, i) => {
    if (args[i - 1] !== '-drive') return;
    const opts = new Map<string, string>();
    for (const part of a.split(/(?<!,),(?!,)/)) {
      const eq = part.indexOf('=');
      if (eq > 0) opts.set(part.slice(0, eq), part.slice(eq + 1).replace(/,,/g, ','));
    }
    out.push({ id: opts.get('id') ?? '', file: opts.get('file') ?? '', readOnly: opts.get('readonly') === 'on', throwAway: opts.get('snapshot') === 'on' });
  });
  return out;
}

/** The path must survive /bin/sh unchanged inside single quotes: no NUL or line breaks. */
export function execUri(verb: 'save' | 'load', file: string): string {
  if (!path.isAbsolute(file) || /[\0\n\r]/.test(file)) throw new EngineError(`snapshot file path not usable for QEMU's exec: migration: ${JSON.stringify(file)}`);
  return verb === 'save' ? `exec:cat > ${shQuote(file)}` : `exec:cat ${shQuote(file)}`;
}

export interface SavedVm {
  /** Host wall clock (ms) when the vCPUs stopped: the guest's clock stands still from here. */
  stoppedAt: number;
  /** When the source ran again (undefined when it was paused before and stays so). */
  resumedAt?: number;
  memoryBytes: number;
  /** Writable disks copied beside the memory file: drive id -> file name in the snapshot. */
  disks: Record<string, string>;
  qemuStatusBefore: string;
}

/** Refuses a VM whose state can't be saved whole, before anything is stopped. */
export function checkSavable(id: string, plan: LaunchPlan): void {
  const drives = driveArgs(plan.process.args);
  const temp = drives.find((d) => d.throwAway);
  if (temp) {
    throw new EngineError(
      `${id}: its ${temp.id} disk writes into QEMU's throw-away overlay (snapshot=on, an unlinked temporary file), which a snapshot can't copy`,
      [],
      'snapshot it with readonly: true (the image disk is then shared read-only), or a per-sandbox overlay file (planned)',
    );
  }
  if (plan.process.args.some((a) => a.startsWith('vfio-pci'))) throw new EngineError(`${id}: a VM with passed-through PCI devices can't be snapshotted (their state lives in the hardware)`);
}

export async function saveRunningVm(id: string, plan: LaunchPlan, dir: string): Promise<SavedVm> {
  const socket = plan.extra?.qmpSocket;
  if (typeof socket !== 'string') throw new EngineError(`${id}: no QMP socket recorded: it can't be snapshotted`);
  checkSavable(id, plan);
  const qmp = await QmpClient.connect(socket, 5000).catch((e: Error) => {
    throw new EngineError(`${id}: cannot reach QEMU's QMP socket: ${e.message}`);
  });
  let stopped = false;
  try {
    const before = await qmp.execute<{ status: string }>('query-status');
    if (before.status !== 'running' && before.status !== 'paused') throw new EngineError(`${id}: QEMU reports ${before.status}: only a running or paused VM can be saved`);
    // Stop first: one pass over memory, and disks copied at the same instant as the memory.
    // The default migration bandwidth cap (32 MiB/s) would only slow a local file down.
    await qmp.execute('migrate-set-parameters', { 'max-bandwidth': 64 * 1024 * 1024 * 1024 });
    if (before.status === 'running') {
      await qmp.execute('stop');
      stopped = true;
    }
    const stoppedAt = Date.now();
    const disks: Record<string, string> = {};
    for (const d of driveArgs(plan.process.args)) {
      if (d.readOnly) continue;
      const name = `disk-${d.id}.img`;
      // A reflink where the filesystem has them, else a full copy.
      copyFileSync(d.file, path.join(dir, name), constants.COPYFILE_FICLONE);
      disks[d.id] = name;
    }
    const memory = path.join(dir, MEMORY_FILE);
    await qmp.execute('migrate', { uri: execUri('save', memory) });
    const deadline = Date.now() + MIGRATE_TIMEOUT_MS;
    for (;;) {
      const m = await qmp.execute<{ status?: string; 'error-desc'?: string }>('query-migrate');
      if (m.status === 'completed') break;
      if (m.status === 'failed' || m.status === 'cancelled') throw new EngineError(`${id}: QEMU could not save the VM: ${m['error-desc'] ?? m.status}`);
      if (Date.now() > deadline) {
        await qmp.execute('migrate_cancel').catch(() => undefined);
        throw new EngineError(`${id}: saving the VM took over ${MIGRATE_TIMEOUT_MS / 1000} s; cancelled`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    let resumedAt: number | undefined;
    if (stopped) {
      await qmp.execute('cont');
      stopped = false;
      resumedAt = Date.now();
    }
    return { stoppedAt, resumedAt, memoryBytes: statSync(memory).size, disks, qemuStatusBefore: before.status };
  } finally {
    // Whatever failed, a VM we stopped runs again.
    if (stopped) await qmp.execute('cont').catch(() => undefined);
    qmp.close();
  }
}
