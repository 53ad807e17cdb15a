import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CappedLog } from '../../../engine/state/caplog';
import { writeJsonAtomic } from '../../../engine/state/store';
import { withLock } from '../../../engine/state/lock';
import { enginePaths } from '../../../engine/state/paths';
import { makeId } from '../../../engine/engine';
import { effectiveState } from '../../../engine/lifecycle/info';
import { formatDiagnostic } from '../../../engine/lifecycle/specs';
import { spec } from './helpers';

describe('state', () => {
  test('capped log rotates once past the cap', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-unit-'));
    try {
      const file = path.join(dir, 'out.log');
      const log = new CappedLog(file, 100);
      for (let i = 0; i < 30; i++) log.write('0123456789');
      log.close();
      assert.ok(statSync(file).size <= 100);
      assert.ok(statSync(`${file}.1`).size <= 100);
      assert.match(readFileSync(file, 'utf8'), /^(0123456789)+$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('lock serialises holders and breaks a dead holder', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-unit-'));
    try {
      const lock = path.join(dir, '.l');
      const order: string[] = [];
      await Promise.all([
        withLock(lock, async () => {
          order.push('a+');
          await new Promise((r) => setTimeout(r, 40));
          order.push('a-');
        }),
        (async () => {
          await new Promise((r) => setTimeout(r, 5));
          await withLock(lock, async () => void order.push('b'));
        })(),
      ]);
      assert.deepEqual(order, ['a+', 'a-', 'b']);
      // A lock whose holder pid is dead is broken.
      const { mkdirSync, writeFileSync } = await import('node:fs');
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), '999999999');
      assert.equal(await withLock(lock, async () => 'got it', 500), 'got it');
      assert.equal(existsSync(lock), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('paths follow XDG and keep the runtime dir short', () => {
    const p = enginePaths({ XDG_STATE_HOME: '/s', XDG_CACHE_HOME: '/c', XDG_RUNTIME_DIR: '/run/user/1000' });
    assert.equal(p.state, '/s/isolation-spectrum');
    assert.equal(p.sandboxes, '/s/isolation-spectrum/sandboxes');
    assert.equal(p.cache, '/c/isolation-spectrum');
    assert.equal(p.runtime, '/run/user/1000/isolation-spectrum');
    const long = enginePaths({ XDG_RUNTIME_DIR: '/' + 'x'.repeat(80) });
    assert.ok(long.runtime.length < 30);
  });

  test('ids are <name>-<6 hex>', () => {
    assert.match(makeId('web'), /^web-[0-9a-f]{6}$/);
    assert.match(makeId('Odd Name!'), /^odd-name-[0-9a-f]{6}$/);
  });

  test('an id never starts with a dot (ps and down skip dot-names)', () => {
    assert.match(makeId('.oci'), /^oci-[0-9a-f]{6}$/);
    assert.match(makeId('..'), /^sandbox-[0-9a-f]{6}$/);
    assert.match(makeId('-.x.'), /^x-[0-9a-f]{6}$/);
  });

  test('a lock whose holder died before writing its pid is broken once stale', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-unit-'));
    try {
      const lock = path.join(dir, '.l');
      const { mkdirSync, utimesSync } = await import('node:fs');
      mkdirSync(lock);
      const old = new Date(Date.now() - 60_000);
      utimesSync(lock, old, old);
      assert.equal(await withLock(lock, async () => 'got it', 500), 'got it');
      // A fresh empty one is a holder mid-creation: waited on, not broken.
      mkdirSync(lock);
      await assert.rejects(withLock(lock, async () => 'no', 200), /timed out/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a lock whose pid now names another process (other start time) is broken', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-unit-'));
    try {
      const lock = path.join(dir, '.l');
      const { mkdirSync, writeFileSync } = await import('node:fs');
      mkdirSync(lock);
      // Our own pid, alive, but with a start time it never had: a reused pid.
      writeFileSync(path.join(lock, 'pid'), `${process.pid} 1`);
      assert.equal(await withLock(lock, async () => 'got it', 500), 'got it');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('state files are private (0600)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-unit-'));
    try {
      const old = process.umask(0o022);
      try {
        writeJsonAtomic(path.join(dir, 'record.json'), { env: { SECRET: 'x' } });
        new CappedLog(path.join(dir, 'output.log')).close();
      } finally {
        process.umask(old);
      }
      assert.equal(statSync(path.join(dir, 'record.json')).mode & 0o777, 0o600);
      assert.equal(statSync(path.join(dir, 'output.log')).mode & 0o777, 0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a running status whose monitor is gone reads as failed', () => {
    const record = { id: 'a', name: 'a', owner: 'cli', isolation: 'container' as const, runtime: 'runc', createdAt: new Date().toISOString(), spec: spec() };
    assert.equal(effectiveState({ id: 'a', dir: '/d', record, monitorAlive: false, status: { state: 'running', monitorPid: 1 } }).state, 'failed');
    assert.equal(effectiveState({ id: 'a', dir: '/d', record, monitorAlive: true, status: { state: 'running', monitorPid: 1 } }).state, 'running');
    assert.equal(effectiveState({ id: 'a', dir: '/d', record, monitorAlive: false }).state, 'starting');
    const old = { ...record, createdAt: new Date(Date.now() - 120_000).toISOString() };
    assert.equal(effectiveState({ id: 'a', dir: '/d', record: old, monitorAlive: false }).state, 'failed');
  });

  test('diagnostics print as file:line:col', () => {
    const d = { range: { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } }, severity: 'error' as const, code: 'unknown-key', message: 'Unknown key.' };
    assert.equal(formatDiagnostic('/x/a.sandbox.yaml', d), '/x/a.sandbox.yaml:3:5: error: Unknown key. [unknown-key]');
  });
});
