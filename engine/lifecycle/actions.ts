// What can be done to a sandbox beyond inspect/logs/down, by its level and runtime, so front ends
// offer only what the engine will do (the extension's view menus key on these words). Pause comes
// from the driver itself; snapshots and forks from the snapshot code's own tables.
import type { SandboxInfo } from '../api';
import { DRIVERS } from '../drivers/registry';
import { SNAPSHOT_LEVELS, FORK_LEVELS } from '../snapshots/levels';

export type SandboxAction = 'pause' | 'snapshot' | 'fork' | 'copy';

/** The actions a sandbox's level supports; the sandbox's state decides which apply right now. */
export function sandboxActions(s: Pick<SandboxInfo, 'isolation' | 'runtime' | 'extra'>): SandboxAction[] {
  const driver = DRIVERS.find((d) => d.runtime === s.runtime && d.isolation === s.isolation);
  const out: SandboxAction[] = [];
  if (driver?.pauseCommand) out.push('pause');
  if (SNAPSHOT_LEVELS.has(s.isolation)) out.push('snapshot');
  if (FORK_LEVELS.has(s.isolation)) out.push('fork');
  // Copies stream tar through an exec: the runtime's, or a VM's guest agent.
  if (driver?.exec || typeof s.extra?.agentSocket === 'string') out.push('copy');
  return out;
}
