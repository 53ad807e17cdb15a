// The Sandboxes view's menu words come from the engine's own capabilities (drivers' pause,
// snapshot levels, exec/agent), and package.json's `when` clauses must match them: a typo in
// either would hide an action or offer one the engine refuses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { SandboxInfo } from '../../../engine/api';
import { exitReasonOf, sandboxContextValue, sandboxTooltip } from '../../../extension/views/sandboxTooltip';

function sandbox(over: Partial<SandboxInfo>): SandboxInfo {
  return { id: 'box-abc123', name: 'box', owner: 'cli', isolation: 'container', runtime: 'runc', state: 'running', network: 'none', logPath: '/x', ...over } as SandboxInfo;
}

interface MenuEntry {
  command: string;
  when?: string;
}
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { contributes: { menus: Record<string, MenuEntry[]> } };

/** Commands the view offers on an item with this contextValue (evaluates our `viewItem =~ /re/` clauses). */
function offered(contextValue: string): Set<string> {
  const out = new Set<string>();
  for (const m of pkg.contributes.menus['view/item/context']) {
    const w = m.when ?? '';
    if (!w.includes('view == isolationSpectrum.sandboxes')) continue;
    const re = /viewItem =~ \/(.*)\//.exec(w);
    if (re && new RegExp(re[1]).test(contextValue)) out.add(m.command.replace('isolationSpectrum.', ''));
  }
  return out;
}

describe('sandbox menu words', () => {
  test('a running runc container: pause and copy (runc has a pause command and an exec), no snapshot or fork', () => {
    const cv = sandboxContextValue(sandbox({}), false);
    assert.equal(cv, 'sandbox running container shell pausable copyable');
    const menu = offered(cv);
    for (const c of ['pause', 'copyIntoSandbox', 'downloadFromSandbox', 'openShell', 'tearDown']) assert.ok(menu.has(c), `${c} missing from ${[...menu]}`);
    for (const c of ['resume', 'snapshot', 'fork']) assert.ok(!menu.has(c), `${c} offered on ${cv}`);
  });

  test('a running gVisor sandbox can also be snapshotted (runsc checkpoint)', () => {
    const cv = sandboxContextValue(sandbox({ isolation: 'gvisor', runtime: 'runsc' }), false);
    assert.equal(cv, 'sandbox running gvisor shell pausable snapshottable copyable');
    assert.ok(offered(cv).has('snapshot'));
  });

  test('a paused container offers Resume, not Pause, and no copy (exec refuses while frozen)', () => {
    const cv = sandboxContextValue(sandbox({ state: 'paused' }), false);
    assert.equal(cv, 'sandbox paused container resumable');
    const menu = offered(cv);
    assert.ok(menu.has('resume'));
    for (const c of ['pause', 'copyIntoSandbox', 'snapshot']) assert.ok(!menu.has(c), `${c} offered on ${cv}`);
  });

  test('an isolate runs no processes: nothing to pause, snapshot or copy', () => {
    const cv = sandboxContextValue(sandbox({ isolation: 'isolate', runtime: 'workerd', url: 'http://127.0.0.1:1/' }), true);
    assert.equal(cv, 'sandbox running isolate url');
    const menu = offered(cv);
    for (const c of ['pause', 'resume', 'snapshot', 'fork', 'copyIntoSandbox', 'openShell']) assert.ok(!menu.has(c), `${c} offered on ${cv}`);
    assert.ok(menu.has('openUrl'));
  });

  test('a running microVM: snapshot and fork (levels.ts), copy through its guest agent', () => {
    const cv = sandboxContextValue(sandbox({ isolation: 'microvm', runtime: 'qemu', extra: { agentSocket: '/run/agent.sock' } }), false);
    const menu = offered(cv);
    for (const c of ['snapshot', 'fork', 'copyIntoSandbox', 'downloadFromSandbox']) assert.ok(menu.has(c), `${c} missing from ${cv}`);
  });

  test('an ended sandbox offers only inspect, logs and tear down', () => {
    const menu = offered(sandboxContextValue(sandbox({ state: 'exited', exitCode: 0 }), false));
    assert.deepEqual([...menu].sort(), ['inspect', 'showLogs', 'tearDown']);
  });
});

describe('exit reason in the tooltip', () => {
  test('the one-sentence exit reason wins, then the OOM verdict, then the failure reason, then the code', () => {
    assert.equal(exitReasonOf(sandbox({ state: 'exited', exitCode: 137, extra: { exitReason: 'the timeout (30s) passed', reason: 'x' } })), 'the timeout (30s) passed');
    assert.match(exitReasonOf(sandbox({ state: 'exited', exitCode: 137, extra: { oomKilled: true } })) ?? '', /OOM killer/);
    assert.equal(exitReasonOf(sandbox({ state: 'failed', extra: { reason: 'its monitor died' } })), 'its monitor died');
    assert.equal(exitReasonOf(sandbox({ state: 'exited', exitCode: 3 })), 'exited with code 3');
    assert.equal(exitReasonOf(sandbox({ state: 'exited', exitCode: null })), 'killed by a signal');
    // A top-level field (if inspect grows one) counts too.
    assert.equal(exitReasonOf(sandbox({ state: 'exited', exitCode: 1, ...({ exitReason: 'top level' } as object) })), 'top level');
  });

  test('a running sandbox has no exit reason, and its tooltip has no "ended" line', () => {
    const s = sandbox({ extra: { reason: 'stale' } });
    assert.equal(exitReasonOf(s), undefined);
    assert.doesNotMatch(sandboxTooltip(s, []), /ended:/);
    assert.match(sandboxTooltip(sandbox({ state: 'exited', exitCode: 2 }), []), /ended: exited with code 2/);
  });
});
