// The warm base's life: built on the first `start: warm` launch for its machine (a cold boot of
// the waiting /init, saved, then torn down), restored by every warm launch, and handed the
// launch's command (engine/vm/warm-start.ts says why it is built this way).
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { LaunchPlan } from '../drivers/driver';
import type { SandboxRecord } from '../state/record';
import type { EnginePaths } from '../state/paths';
import type { SandboxSpec } from '../spec/types';
import { EngineError } from '../errors';
import { withLock } from '../state/lock';
import { writeJsonAtomic } from '../state/store';
import { FILES } from '../state/record';
import { agentExec } from './agent-client';
import { saveVmSnapshot } from '../snapshots/qemu-snapshot';
import { finishQemuRestore, qemuRestorePlan } from '../snapshots/qemu-restore';
import type { SnapshotEntry } from '../snapshots/store';
import { refreshGuest, type GuestRefresh } from './warm-guest';
import { baseSpec, HANDOVER_FIFO, readWarmBase, renderHandover, warmBaseDir } from './warm-start';

const AGENT_WAIT_MS = 60_000;
/** Building a base waits this long for another process building the same one. */
const BUILD_LOCK_MS = 240_000;

export interface BaseSteps {
  /** A cold launch the engine owns (torn down if this process dies). */
  launch(spec: SandboxSpec): Promise<{ id: string; dir: string; record: SandboxRecord; plan: LaunchPlan }>;
  down(id: string): Promise<unknown>;
}

async function waitForWaiter(agentSocket: string): Promise<void> {
  const deadline = Date.now() + AGENT_WAIT_MS;
  for (;;) {
    const p = agentExec(agentSocket, { argv: ['/bin/sh', '-c', `test -p ${HANDOVER_FIFO}`] });
    p.stdout.resume();
    p.stderr.resume();
    p.stdin.end();
    if ((await p.exit.catch(() => -1)) === 0) return;
    if (Date.now() > deadline) throw new EngineError(`the warm base's /init did not reach its waiting point within ${AGENT_WAIT_MS / 1000} s`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** The base for the machine `plan` describes; built now when `build` and missing. */
export async function warmBaseFor(paths: EnginePaths, plan: LaunchPlan, spec: SandboxSpec, build: boolean, steps: BaseSteps): Promise<SnapshotEntry | undefined> {
  const dir = warmBaseDir(paths, plan);
  const found = readWarmBase(dir);
  if (found || !build) return found;
  mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
  return withLock(`${dir}.lock`, async () => {
    const again = readWarmBase(dir);
    if (again) return again;
    const base = await steps.launch(baseSpec(spec));
    try {
      const agent = base.plan.extra?.agentSocket;
      if (typeof agent !== 'string') throw new EngineError('the guest kernel has no virtio_console for the agent: no warm start');
      await waitForWaiter(agent);
      // Saved into a fresh folder, then renamed: a base is whole or absent.
      const tmp = `${dir}.new-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      await saveVmSnapshot({ id: base.id, dir: base.dir, record: base.record, plan: base.plan }, paths, { name: 'warm-base', dir: tmp });
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
    } finally {
      await steps.down(base.id).catch(() => undefined);
    }
    const made = readWarmBase(dir);
    if (!made) throw new EngineError(`the warm base in ${dir} was not saved`);
    return made;
  }, BUILD_LOCK_MS);
}

/** The prepared cold plan, made to restore `base`; its readiness stays the launch's own start line. */
export function warmPlan(plan: LaunchPlan, base: SnapshotEntry, dir: string): LaunchPlan {
  const restored = qemuRestorePlan(plan, base, dir);
  return { ...restored, readiness: plan.readiness, guestConsole: plan.guestConsole };
}

/** After the monitor started QEMU: load the base, refresh the guest and hand the command over. */
export async function handOver(dir: string, plan: LaunchPlan, base: SnapshotEntry, spec: SandboxSpec, isAlive: () => boolean): Promise<GuestRefresh> {
  const agent = plan.extra?.agentSocket;
  const nonce = plan.guestConsole?.nonce;
  if (typeof agent !== 'string' || !nonce || !base.vm || !spec.command?.length) throw new EngineError('a warm start needs the guest agent, a console nonce and a command');
  const resumedAt = await finishQemuRestore(plan, base, isAlive);
  const script = renderHandover(nonce, spec.command, spec.env);
  const refresh = await refreshGuest(agent, { clockStepMs: resumedAt - base.vm.stoppedAt, reseed: true, identity: true, handOver: { to: HANDOVER_FIFO, data: script } });
  writeJsonAtomic(path.join(dir, FILES.plan), { ...plan, extra: { ...plan.extra, guestRefresh: refresh } });
  return refresh;
}

/**
 * For a launch that chose a warm start: its plan restoring the base (built first under
 * `start: warm`), or the cold plan with the reason when `auto` finds no base.
 */
export async function warmLaunchPlan(paths: EnginePaths, plan: LaunchPlan, spec: SandboxSpec, dir: string, steps: BaseSteps): Promise<{ plan: LaunchPlan; base?: SnapshotEntry }> {
  const base = await warmBaseFor(paths, plan, spec, spec.start === 'warm', steps);
  if (!base) return { plan: { ...plan, extra: { ...plan.extra, startNote: 'no warm base for this machine yet (a start: warm launch saves one)' } } };
  return { plan: { ...warmPlan(plan, base, dir), extra: { ...plan.extra, start: 'warm', warmBase: path.basename(base.path) } }, base };
}
