import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LaunchPlan } from '../../../engine/drivers/driver';
import { runcDriver } from '../../../engine/drivers/runc';
import { runscCommand, runscDriver } from '../../../engine/drivers/runsc';
import { checkpointCommand, restorePlan } from '../../../engine/snapshots/gvisor';
import { checkRestorable, refuseSnapshot } from '../../../engine/snapshots/take';
import { checkName, defaultName, deleteSnapshot, listSnapshots, newSnapshotDir, readSnapshot, saveMeta, type SnapshotMeta } from '../../../engine/snapshots/store';
import { enginePaths } from '../../../engine/state/paths';
import { spec } from '../engine/helpers';

const runscPlan = (command = '/usr/bin/runsc', pre: string[] = []): LaunchPlan => ({
  process: { command, args: [...pre, '--root', '/r/runsc', '--network=none', '--platform=ptrace', 'run', '--bundle', '/s/b', 'g-1'], env: { TMPDIR: '/r/tmp' } },
  readiness: { kind: 'spawn' },
  stop: [],
  cleanup: [],
  network: 'none',
});
const ctx = (plan: LaunchPlan) => ({ id: 'g-1', dir: '/s', runDir: '/r', plan });

describe('pause/resume argv', () => {
  test('runc: the same --root as the run, then pause|resume ID', () => {
    const plan: LaunchPlan = { ...runscPlan('/usr/sbin/runc'), process: { command: '/usr/sbin/runc', args: ['--root', '/r/runc', 'run', '--bundle', '/s/b', '--no-new-keyring', 'c-1'] } };
    assert.deepEqual(runcDriver.pauseCommand!({ ...ctx(plan), id: 'c-1' }, 'pause'), { command: '/usr/sbin/runc', args: ['--root', '/r/runc', 'pause', 'c-1'] });
    assert.deepEqual(runcDriver.pauseCommand!({ ...ctx(plan), id: 'c-1' }, 'resume').args, ['--root', '/r/runc', 'resume', 'c-1']);
  });

  test('runsc: global flags and env kept; under nsenter the runsc binary itself', () => {
    assert.deepEqual(runscDriver.pauseCommand!(ctx(runscPlan()), 'pause'), { command: '/usr/bin/runsc', args: ['--root', '/r/runsc', '--network=none', '--platform=ptrace', 'pause', 'g-1'], env: { TMPDIR: '/r/tmp' } });
    const ns = runscPlan('nsenter', ['--net=/run/netns/x', '--', '/usr/bin/runsc']);
    assert.equal(runscDriver.pauseCommand!(ctx(ns), 'resume').command, '/usr/bin/runsc');
  });
});

describe('gVisor checkpoint/restore argv', () => {
  test('checkpoint names the image folder and the sandbox', () => {
    assert.deepEqual(checkpointCommand(runscPlan(), 'g-1', '/c/s/image').args, ['--root', '/r/runsc', '--network=none', '--platform=ptrace', 'checkpoint', '--image-path=/c/s/image', 'g-1']);
  });

  test('restore replaces run with restore --image-path, keeping bundle, id and flags', () => {
    const p = restorePlan(runscPlan(), '/c/s');
    assert.deepEqual(p.process.args, ['--root', '/r/runsc', '--network=none', '--platform=ptrace', 'restore', '--image-path=/c/s/image', '--bundle', '/s/b', 'g-1']);
    // exec, pause and tear-down of a restored sandbox still find runsc's global flags.
    assert.deepEqual(runscCommand(p).global, ['--root', '/r/runsc', '--network=none', '--platform=ptrace']);
  });

  test('a plan without run --bundle cannot be restored', () => {
    assert.throws(() => restorePlan({ ...runscPlan(), process: { command: 'runsc', args: ['do', 'true'] } }, '/c/s'), /no `run --bundle`/);
  });
});

describe('snapshot store and refusals', () => {
  test('names: safe, and a default from the sandbox name and time', () => {
    assert.equal(checkName('g-snap.1'), 'g-snap.1');
    assert.throws(() => checkName('../x'), /not a snapshot name/);
    assert.throws(() => checkName(''), /not a snapshot name/);
    assert.equal(defaultName('web app', new Date('2026-12-02T03:04:05.678Z')), 'web-app-20261202-030405');
  });

  test('save, list, read, refuse a taken name, delete', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'spectrum-snap-'));
    try {
      const paths = enginePaths({ XDG_CACHE_HOME: path.join(root, 'cache'), XDG_STATE_HOME: path.join(root, 'state'), XDG_RUNTIME_DIR: path.join(root, 'run') });
      const dir = newSnapshotDir(paths, 's1');
      writeFileSync(path.join(dir, 'x'), 'x');
      const meta: SnapshotMeta = { name: 's1', sourceId: 'g-1', sourceName: 'g', isolation: 'gvisor', runtime: 'runsc', runtimeVersion: '1', createdAt: 'now', durationMs: 1, sizeBytes: 1, spec: spec({ isolation: 'gvisor' }) };
      saveMeta(dir, meta);
      assert.deepEqual(listSnapshots(paths).map((s) => s.name), ['s1']);
      assert.equal(readSnapshot(paths, 's1').path, dir);
      assert.throws(() => newSnapshotDir(paths, 's1'), /exists/);
      assert.throws(() => readSnapshot(paths, 's2'), /no snapshot 's2'/);
      assert.throws(() => checkRestorable({ ...meta, path: dir }, '2'), /taken with runsc 1; this host has 2/);
      assert.doesNotThrow(() => checkRestorable({ ...meta, path: dir }, '1'));
      deleteSnapshot(paths, 's1');
      assert.deepEqual(listSnapshots(paths), []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('levels without snapshots say what is planned', () => {
    assert.match(refuseSnapshot('container').message, /CRIU/);
    assert.match(refuseSnapshot('container').message, /snapshots exist for gvisor, microvm and vm sandboxes/);
    assert.match(refuseSnapshot('isolate').message, /warm isolate starts in milliseconds/);
  });
});
