// `start: cold | warm | auto` for a spec: which path a launch takes, and why.
import type { SandboxSpec } from '../spec/types';
import { EngineError } from '../errors';
import { warmableWorker } from './isolate-code';

/** Warm paths planned for the other levels, named in refusals. */
export const PLANNED_WARM: Record<string, string> = {
  container: 'pause/resume (runc freezer) and checkpoint/restore through CRIU',
  gvisor: 'pause/resume and runsc checkpoint/restore',
  microvm: 'QEMU snapshot restore and fork',
  vm: 'QEMU snapshot restore and fork',
};

export interface StartChoice {
  warm: boolean;
  /** Why a launch that could have been warm runs cold. */
  why?: string;
}

export function chooseStart(spec: SandboxSpec): StartChoice {
  const start = spec.start ?? 'auto';
  if (start === 'cold') return { warm: false, why: 'start: cold' };
  if (spec.isolation !== 'isolate') {
    if (start === 'warm') {
      throw new EngineError(`${spec.name}: start: warm is not available for ${spec.isolation} sandboxes yet (planned: ${PLANNED_WARM[spec.isolation]}); warm starts exist for isolates`, [], 'use start: auto or start: cold');
    }
    return { warm: false, why: `no warm start for ${spec.isolation} yet` };
  }
  if (!warmableWorker(spec.worker)) {
    if (start === 'warm') throw new EngineError(`${spec.name}: start: warm needs a JavaScript module worker (.js or .mjs); ${spec.worker ?? 'no worker'} runs in its own workerd`, [], 'use start: auto or start: cold');
    return { warm: false, why: 'a Wasm worker runs in its own workerd' };
  }
  return { warm: true };
}
