// Restoring a QEMU snapshot as a new sandbox: the driver prepares a fresh launch of the same spec
// (its own sockets, console log, network stack), and this turns it into a restore: QEMU starts
// with `-incoming defer` (so the engine is connected to QMP before the guest runs again and
// catches the exact moment it does), every writable disk is this copy's own copy, and the
// console is read with the nonce the saved guest's /init carries.
import { copyFileSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import type { LaunchPlan } from '../drivers/driver';
import { EngineError } from '../errors';
import { QmpClient } from '../vm/qmp';
import { qemuEscape } from '../vm/qemu-args';
import { checkInputs, qemuInputs } from './qemu-inputs';
import { driveArgs, execUri, MEMORY_FILE } from './qemu-save';
import type { SnapshotEntry } from './store';
import { refreshGuest, type GuestRefresh } from '../vm/warm-guest';
import { writeJsonAtomic } from '../state/store';
import { FILES } from '../state/record';

const LOAD_TIMEOUT_MS = 120_000;
const QMP_WAIT_MS = 30_000;

/** The prepared cold plan of `snap.spec`, made to load `snap` instead of booting. */
export function qemuRestorePlan(plan: LaunchPlan, snap: SnapshotEntry, dir: string): LaunchPlan {
  const vm = snap.vm;
  if (!vm) throw new EngineError(`snapshot ${snap.name} holds no VM state (taken by an older engine?)`, [], `delete it: spectrum snapshots rm ${snap.name}`);
  checkInputs(snap.name, vm.inputs, vm.inputsHash, qemuInputs(plan));
  if (!existsSync(path.join(snap.path, MEMORY_FILE))) throw new EngineError(`snapshot ${snap.name} has lost its memory file`, [], `delete it: spectrum snapshots rm ${snap.name}`);
  const args = [...plan.process.args];
  for (const d of driveArgs(args)) {
    const saved = vm.disks[d.id];
    if (!saved) continue;
    const own = path.join(dir, `disk-${d.id}.img`);
    copyFileSync(path.join(snap.path, saved), own, constants.COPYFILE_FICLONE);
    const at = args.findIndex((a, i) => args[i - 1] === '-drive' && a.includes(`,id=${d.id},`));
    args[at] = args[at].replace(`file=${qemuEscape(d.file)},`, `file=${qemuEscape(own)},`);
  }
  args.push('-incoming', 'defer');
  return {
    ...plan,
    process: { ...plan.process, args },
    // The guest is already past its start line: the sandbox is up once QEMU runs it again,
    // which the engine waits for over QMP (finishQemuRestore).
    readiness: { kind: 'spawn' },
    guestConsole: plan.guestConsole ? { ...plan.guestConsole, nonce: vm.nonce } : undefined,
  };
}

async function connectWhenUp(socket: string, isAlive: () => boolean): Promise<QmpClient> {
  const deadline = Date.now() + QMP_WAIT_MS;
  for (;;) {
    if (existsSync(socket)) {
      const c = await QmpClient.connect(socket, 5000).catch(() => undefined);
      if (c) return c;
    }
    if (!isAlive()) throw new EngineError('QEMU ended before it took the snapshot (see spectrum logs)');
    if (Date.now() > deadline) throw new EngineError(`QEMU's QMP socket did not come up within ${QMP_WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Loads the snapshot into the restored QEMU and waits until the guest runs; returns when it did (host ms). */
export async function finishQemuRestore(plan: LaunchPlan, snap: SnapshotEntry, isAlive: () => boolean): Promise<number> {
  const socket = plan.extra?.qmpSocket;
  if (typeof socket !== 'string') throw new EngineError('the restored plan has no QMP socket');
  const qmp = await connectWhenUp(socket, isAlive);
  try {
    await qmp.execute('migrate-incoming', { uri: execUri('load', path.join(snap.path, MEMORY_FILE)) });
    const deadline = Date.now() + LOAD_TIMEOUT_MS;
    for (;;) {
      const st = await qmp.execute<{ status: string }>('query-status');
      if (st.status === 'running') return Date.now();
      // The source was stopped when it was saved, and QEMU restores that run state: start it.
      if (st.status === 'paused' || st.status === 'postmigrate') {
        await qmp.execute('cont');
        return Date.now();
      }
      const m = await qmp.execute<{ status?: string; 'error-desc'?: string }>('query-migrate').catch(() => undefined);
      if (m?.status === 'failed') throw new EngineError(`QEMU could not load snapshot ${snap.name}: ${m['error-desc'] ?? 'failed'}`);
      if (Date.now() > deadline) throw new EngineError(`loading snapshot ${snap.name} took over ${LOAD_TIMEOUT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } catch (err) {
    if (!isAlive()) throw new EngineError(`QEMU ended while loading snapshot ${snap.name} (see spectrum logs)`);
    throw err;
  } finally {
    qmp.close();
  }
}

/**
 * After the monitor started the restoring QEMU: load the snapshot, then give the guest its own
 * RNG state, clock and identity (vm/warm-guest.ts). What was done is kept in the plan's extra,
 * for inspect.
 */
export async function finishVmRestore(dir: string, plan: LaunchPlan, snap: SnapshotEntry, isAlive: () => boolean): Promise<GuestRefresh | undefined> {
  const resumedAt = await finishQemuRestore(plan, snap, isAlive);
  const agent = plan.extra?.agentSocket;
  if (typeof agent !== 'string' || !snap.vm) return undefined;
  const refresh = await refreshGuest(agent, { clockStepMs: resumedAt - snap.vm.stoppedAt, reseed: true, identity: true });
  writeJsonAtomic(path.join(dir, FILES.plan), { ...plan, extra: { ...plan.extra, guestRefresh: refresh } });
  return refresh;
}
