// The attack surface of one running sandbox, dispatched on its level.
import { EngineError } from '../errors';
import type { AttackSurface } from './types';
import type { SurfaceTarget } from './target';
import { containerSurface } from './container';
import { gvisorSurface } from './gvisor';
import { vmSurface } from './vm';
import { isolateSurface } from './isolate';
import { verdictOf } from './verdict';

export async function measureSurface(t: SurfaceTarget): Promise<AttackSurface> {
  let s: Omit<AttackSurface, 'verdict'>;
  try {
    switch (t.isolation) {
      case 'container':
        s = await containerSurface(t);
        break;
      case 'gvisor':
        s = await gvisorSurface(t);
        break;
      case 'microvm':
      case 'vm':
        s = await vmSurface(t);
        break;
      case 'isolate':
        s = isolateSurface(t);
        break;
    }
  } catch (e) {
    if (e instanceof EngineError) throw e;
    throw new EngineError(`${t.id}: the attack surface could not be measured: ${(e as Error).message}`);
  }
  return { ...s, verdict: verdictOf(s) };
}
