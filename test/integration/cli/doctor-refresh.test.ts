// `spectrum doctor --refresh` probes every runtime again and rewrites the cached host snapshot,
// even when the cache's key for a binary still matches (a binary changed in place, same size and
// mtime: the one change the key cannot see). Plain `doctor` keeps serving the cache.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testNothingLeftBehind, useSandboxWorld } from '../../helpers/world-hooks';

const world = useSandboxWorld();
let runc: string;

/**
 * A fake runc reporting `version`, rewritten in place (same inode), always the same size, with
 * the same whole-second mtime: a change the cache key (path, size, mtime, inode) cannot see.
 */
function writeRunc(version: string): void {
  writeFileSync(runc, `#!/bin/sh\necho 'runc version ${version}'\necho 'spec: 1.0.2-dev'\n`);
  chmodSync(runc, 0o755);
  utimesSync(runc, 1_700_000_000, 1_700_000_000);
}

const doctorRunc = (args: string[] = []): string | undefined => {
  const r = world().cli(['doctor', '--json', ...args]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { levels: { runtime: string; version?: string; path?: string }[] };
  return report.levels.find((l) => l.runtime === 'runc' && l.path === runc)?.version;
};

describe('spectrum doctor --refresh', () => {
  before(() => {
    mkdirSync(path.join(world().root, 'bin'));
    runc = path.join(world().root, 'bin', 'runc');
    world().env.SPECTRUM_RUNC = runc;
    writeRunc('9.9.1');
  });

  test('re-probes a binary whose cache key still matches, and rewrites the cache', () => {
    assert.equal(doctorRunc(), '9.9.1');
    const hostJson = path.join(world().env.XDG_CACHE_HOME as string, 'isolation-spectrum', 'host.json');
    assert.match(readFileSync(hostJson, 'utf8'), /9\.9\.1/);
    const before = statSync(runc);
    writeRunc('9.9.2');
    assert.equal(statSync(runc).ino, before.ino);
    assert.equal(doctorRunc(), '9.9.1', 'plain doctor serves the cache while the key matches (the control)');
    assert.equal(doctorRunc(['--refresh']), '9.9.2');
    assert.match(readFileSync(hostJson, 'utf8'), /9\.9\.2/);
    assert.equal(doctorRunc(), '9.9.2', 'the rewritten cache serves the next doctor');
  });
});

testNothingLeftBehind(world);
