// pause/resume of a QEMU microVM/VM: its vCPUs stopped and started over QMP (memory, devices and
// the guest's processes stay as they are). The guest's clock stands still meanwhile, so a resume
// steps it forward by the time it was paused (vm/warm-guest.ts).
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { RunningContext } from '../drivers/driver';
import { EngineError } from '../errors';
import { readJson, writeJsonAtomic } from '../state/store';
import { QmpClient } from '../vm/qmp';
import { refreshGuest } from '../vm/warm-guest';
import { isPaused, PAUSED_FILE } from './pause';

export async function setVmPaused(ctx: RunningContext, action: 'pause' | 'resume'): Promise<void> {
  const socket = ctx.plan.extra?.qmpSocket;
  if (typeof socket !== 'string') throw new EngineError(`${ctx.id}: no QMP socket recorded: it can't be paused`);
  const paused = isPaused(ctx.dir);
  if (action === 'pause' && paused) throw new EngineError(`${ctx.id} is already paused`, [], `spectrum resume ${ctx.id}`);
  if (action === 'resume' && !paused) throw new EngineError(`${ctx.id} is not paused`);
  const qmp = await QmpClient.connect(socket, 5000).catch((e: Error) => {
    throw new EngineError(`${ctx.id}: cannot reach QEMU's QMP socket: ${e.message}`);
  });
  try {
    if (action === 'pause') {
      await qmp.execute('stop');
      writeJsonAtomic(path.join(ctx.dir, PAUSED_FILE), { pausedAt: new Date().toISOString(), pausedAtMs: Date.now() });
      return;
    }
    const since = readJson<{ pausedAtMs?: number }>(path.join(ctx.dir, PAUSED_FILE))?.pausedAtMs;
    await qmp.execute('cont');
    const resumedAt = Date.now();
    rmSync(path.join(ctx.dir, PAUSED_FILE), { force: true });
    const agent = ctx.plan.extra?.agentSocket;
    if (typeof agent === 'string' && since) await refreshGuest(agent, { clockStepMs: resumedAt - since, reseed: false, identity: false });
  } finally {
    qmp.close();
  }
}
