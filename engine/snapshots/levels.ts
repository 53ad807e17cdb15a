// The levels whose running sandboxes can be snapshotted and forked by this engine. take.ts refuses
// the others; front ends read these sets to offer only what works (engine/lifecycle/actions.ts).
import type { Isolation } from '../spec/types';

export const SNAPSHOT_LEVELS: ReadonlySet<Isolation> = new Set<Isolation>(['gvisor', 'microvm', 'vm']);
/** Fork = N independent copies of a running sandbox (engine.fork): VMs, whose source keeps running. */
export const FORK_LEVELS: ReadonlySet<Isolation> = new Set<Isolation>(['microvm', 'vm']);
