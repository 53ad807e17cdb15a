// The table of verbs. Each loads its own module on demand, so `spectrum ps` never loads the
// spec parser or VM code. To add a verb: a file in verbs/ exporting `run: VerbRun`, one line here,
// and its line in help.ts.
import type { VerbRun } from './verb';

export const VERBS: Record<string, () => Promise<{ run: VerbRun }>> = {
  up: () => import('./verbs/up'),
  run: () => import('./verbs/run'),
  compare: () => import('./verbs/compare'),
  export: () => import('./verbs/export'),
  ps: () => import('./verbs/ps'),
  inspect: () => import('./verbs/inspect'),
  logs: () => import('./verbs/logs'),
  exec: () => import('./verbs/exec'),
  cp: () => import('./verbs/cp'),
  down: () => import('./verbs/down'),
  pause: () => import('./verbs/pause'),
  resume: () => import('./verbs/resume'),
  snapshot: () => import('./verbs/snapshot'),
  restore: () => import('./verbs/restore'),
  fork: () => import('./verbs/fork'),
  snapshots: () => import('./verbs/snapshots'),
  doctor: () => import('./verbs/doctor'),
  cache: () => import('./verbs/cache'),
  pull: () => import('./verbs/pull'),
  images: () => import('./verbs/images'),
  rmi: () => import('./verbs/rmi'),
  image: () => import('./verbs/image'),
  mcp: () => import('./verbs/mcp'),
};
