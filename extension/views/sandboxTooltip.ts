// The Sandboxes view's tooltip and menu words for one sandbox. Pure, unit-tested: the words in
// contextValue are what package.json's `when` clauses match, so they are worth pinning down.
import type { SandboxInfo } from '../../engine/api';
import { sandboxActions } from '../../engine/lifecycle/actions';
import type { PublishedPort } from '../../engine/lifecycle/published-ports';
import { portLabel } from './portLinks';

const ENDED = new Set(['exited', 'failed']);

/**
 * Why an ended sandbox ended, from whichever reason field its record carries: the one-sentence
 * exit reason, the OOM killer's verdict, the failure reason, else the exit code.
 */
export function exitReasonOf(s: SandboxInfo): string | undefined {
  if (!ENDED.has(s.state)) return undefined;
  const fields = { ...(s.extra ?? {}), ...(s as unknown as Record<string, unknown>) };
  const text = (k: string) => (typeof fields[k] === 'string' && fields[k] !== '' ? (fields[k] as string) : undefined);
  const oom = fields.oomKilled === true ? 'killed by the kernel\'s OOM killer (out of memory)' : undefined;
  const reason = text('exitReason') ?? oom ?? text('reason');
  if (reason) return reason;
  if (s.exitCode === null) return 'killed by a signal';
  if (typeof s.exitCode === 'number') return `exited with code ${s.exitCode}`;
  return undefined;
}

export function sandboxTooltip(s: SandboxInfo, ports: readonly PublishedPort[]): string {
  const reason = exitReasonOf(s);
  return [
    `**${s.id}**`,
    `level: ${s.isolation} (${s.runtime})`,
    `state: ${s.state}`,
    reason ? `ended: ${reason}` : '',
    s.pid ? `pid: ${s.pid}` : '',
    s.url ? `url: ${s.url}` : '',
    ...ports.map((p) => `port: ${portLabel(p)}`),
    s.specPath ? `spec: ${s.specPath}` : '',
  ]
    .filter(Boolean)
    .join('  \n');
}

/**
 * e.g. `sandbox running container shell pause copy`: the state, the level, then what the engine
 * says this sandbox supports in that state (pause/resume, snapshot, fork, copy need it running
 * or paused), so menus never offer what the engine would refuse.
 */
export function sandboxContextValue(s: SandboxInfo, hasUrl: boolean): string {
  const words = ['sandbox', s.state, s.isolation];
  if (s.isolation !== 'isolate' && s.state === 'running') words.push('shell');
  if (hasUrl) words.push('url');
  const actions = sandboxActions(s);
  if (s.state === 'running') {
    for (const a of actions) words.push(a === 'pause' ? 'pausable' : a === 'snapshot' ? 'snapshottable' : a === 'fork' ? 'forkable' : 'copyable');
  }
  if (s.state === 'paused' && actions.includes('pause')) words.push('resumable');
  return words.join(' ');
}
