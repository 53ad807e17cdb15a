// Warm paths from the Sandboxes view: Pause/Resume, Snapshot, Fork... on a sandbox (offered only
// where the engine says its level can: views/sandboxTooltip.ts), and Restore/Delete on the
// Snapshots view's items. The engine does the work and refuses with the reason where it can't.
import * as vscode from 'vscode';
import type { SnapshotInfo } from '../../engine/api';
import type { SnapshotNode } from '../views/snapshotsTree';
import { checkForkCount } from './inputChecks';
import { reportError, requireTrust, resolveSandbox, type CommandDeps, type CommandFactory } from './deps';

function pauseOrResume(action: 'pause' | 'resume'): CommandFactory {
  return (deps) => async (arg?: unknown) => {
    const want = action === 'pause' ? 'running' : 'paused';
    try {
      const s = await resolveSandbox(deps, arg, (x) => x.state === want);
      if (!s) return undefined;
      const info = await (action === 'pause' ? deps.engine.pause(s.id) : deps.engine.resume(s.id));
      deps.output.info(`${action}d ${s.id}: now ${info.state}`);
      await deps.model.refresh();
      return info;
    } catch (e) {
      await reportError(deps, `${action === 'pause' ? 'Pause' : 'Resume'} failed`, e);
      return undefined;
    }
  };
}

export const pauseSandbox = pauseOrResume('pause');
export const resumeSandbox = pauseOrResume('resume');

export const snapshotSandbox: CommandFactory = (deps) => async (arg?: unknown) => {
  try {
    const s = await resolveSandbox(deps, arg, (x) => x.state === 'running');
    if (!s) return undefined;
    const name = await vscode.window.showInputBox({
      title: `Snapshot ${s.name}`,
      prompt: 'A name for the snapshot (letters, digits, _ . -), or empty for a dated one. Where the runtime cannot keep the sandbox running while saving it (runsc here), the sandbox ends.',
      ignoreFocusOut: true,
      validateInput: (v) => (v === '' || /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(v) ? undefined : 'Letters, digits, _ . - (up to 64), starting with a letter or digit'),
    });
    if (name === undefined) return undefined;
    const snap = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Snapshotting ${s.name}` }, () => deps.engine.snapshot(s.id, name ? { name } : {}));
    deps.output.info(`snapshot ${snap.name} of ${s.id}: ${snap.sizeBytes} bytes in ${snap.durationMs} ms`);
    deps.views.snapshots.refresh();
    await deps.model.refresh();
    void vscode.window.showInformationMessage(`Saved snapshot ${snap.name}.`);
    return snap;
  } catch (e) {
    await reportError(deps, 'Snapshot failed', e);
    return undefined;
  }
};

export const forkSandbox: CommandFactory = (deps) => async (arg?: unknown) => {
  if (!requireTrust()) return undefined;
  try {
    const s = await resolveSandbox(deps, arg, (x) => x.state === 'running');
    if (!s) return undefined;
    const answer = await vscode.window.showInputBox({ title: `Fork ${s.name}`, prompt: 'How many independent copies?', value: '2', ignoreFocusOut: true, validateInput: checkForkCount });
    if (answer === undefined) return undefined;
    const count = Number(answer.trim());
    const copies = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Forking ${s.name} into ${count}` }, () =>
      deps.engine.fork(s.id, { count, owner: deps.owner() }),
    );
    deps.output.info(`forked ${s.id} into ${copies.map((c) => c.id).join(', ')}`);
    await deps.model.refresh();
    return copies;
  } catch (e) {
    await reportError(deps, 'Fork failed', e);
    return undefined;
  }
};

async function resolveSnapshot(deps: CommandDeps, arg: unknown): Promise<SnapshotInfo | undefined> {
  if (typeof arg === 'object' && arg !== null && (arg as SnapshotNode).kind === 'snapshot') return (arg as SnapshotNode).snapshot;
  const all = await deps.engine.snapshots();
  if (typeof arg === 'string') return all.find((s) => s.name === arg);
  if (all.length === 0) {
    void vscode.window.showInformationMessage('No snapshots yet: take one with Snapshot on a running sandbox.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(all.map((s) => ({ label: s.name, description: `${s.isolation} · from ${s.sourceName}`, snapshot: s })), { placeHolder: 'Choose a snapshot' });
  return pick?.snapshot;
}

export const restoreSnapshot: CommandFactory = (deps) => async (arg?: unknown) => {
  if (!requireTrust()) return undefined;
  try {
    const snap = await resolveSnapshot(deps, arg);
    if (!snap) return undefined;
    const info = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Restoring ${snap.name}` }, () => deps.engine.restore(snap.name, { owner: deps.owner() }));
    deps.output.info(`restored ${snap.name} as ${info.id}`);
    await deps.model.refresh();
    return info;
  } catch (e) {
    await reportError(deps, 'Restore failed', e);
    return undefined;
  }
};

export const deleteSnapshot: CommandFactory = (deps) => async (arg?: unknown) => {
  try {
    const snap = await resolveSnapshot(deps, arg);
    if (!snap) return undefined;
    const ok = `Delete ${snap.name}`;
    if ((await vscode.window.showWarningMessage(`Delete snapshot ${snap.name}? Its saved state cannot be restored afterwards.`, { modal: true }, ok)) !== ok) return undefined;
    await deps.engine.deleteSnapshot(snap.name);
    deps.output.info(`deleted snapshot ${snap.name}`);
    deps.views.snapshots.refresh();
    return snap.name;
  } catch (e) {
    await reportError(deps, 'Delete snapshot failed', e);
    return undefined;
  }
};

export const refreshSnapshots: CommandFactory = (deps) => () => deps.views.snapshots.refresh();
