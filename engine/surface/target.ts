// What a surface measurement gets about one running sandbox (from its state files).
import type { Isolation } from '../spec/types';
import type { LaunchPlan } from '../drivers/driver';

export interface SurfaceTarget {
  id: string;
  isolation: Isolation;
  runtime: string;
  /** The runtime process the monitor owns (runc, runsc, the VMM, workerd). */
  pid: number;
  plan: LaunchPlan;
  runDir: string;
  /** The engine's cache folder (slow probes are kept there per runtime version). */
  cacheDir: string;
  env?: NodeJS.ProcessEnv;
}
