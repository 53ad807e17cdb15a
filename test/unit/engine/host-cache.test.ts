// The host probe cache (engine/host/probe-cache.ts) against real processes: fake runtimes on a
// private PATH that count how often they are started. A changed binary is probed again, a gone
// one is never reported, and a cache file that is corrupt, foreign-owned, writable by others or
// from another boot is ignored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectHost } from '../../../engine/host/collect';
import { binaryKey, bootId, parseCache, type ProbeCache } from '../../../engine/host/probe-cache';

let dir: string;
let bin: string;
let cacheFile: string;
let env: NodeJS.ProcessEnv;

/** A fake runc printing `version`; each start appends a line to runs.log. */
function fakeRunc(version: string, name = 'runc'): string {
  const file = path.join(bin, name);
  const tmp = `${file}.new`;
  writeFileSync(tmp, `#!/bin/sh\necho started >> '${path.join(dir, 'runs.log')}'\necho 'runc version ${version}'\necho 'spec: 1.0.2-dev'\n`);
  chmodSync(tmp, 0o755);
  // Replaced the way package managers do: a new file renamed over the old one.
  renameSync(tmp, file);
  return file;
}

const runs = (): number => (existsSync(path.join(dir, 'runs.log')) ? readFileSync(path.join(dir, 'runs.log'), 'utf8').split('\n').filter(Boolean).length : 0);
const snap = (extra: Partial<Parameters<typeof collectHost>[0]> = {}) => collectHost({ quick: true, env, cacheFile, probe: ['runc'], ...extra });

/** A well-formed cache that claims `version` for the fake runc as it is now. */
function forged(version: string, over: Partial<ProbeCache> = {}): string {
  const key = binaryKey(path.join(bin, 'runc'))!;
  const c: ProbeCache = { format: 1, kernelRelease: os.release(), bootId: bootId(), entries: { runc: { ...key, version } }, ...over };
  return JSON.stringify(c);
}

describe('host probe cache', () => {
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-hostcache-'));
    bin = path.join(dir, 'bin');
    mkdirSync(bin);
    cacheFile = path.join(dir, 'cache', 'host.json');
    env = { PATH: bin };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a binary is probed once, then served from the cache while it is unchanged', async () => {
    const file = fakeRunc('1.0.0');
    const a = await snap();
    assert.deepEqual(a.binaries.runc, { path: file, version: '1.0.0' });
    assert.equal(runs(), 1);
    const b = await snap();
    assert.equal(b.binaries.runc?.version, '1.0.0');
    assert.equal(runs(), 1, 'the second snapshot must not start runc');
    const st = statSync(cacheFile);
    assert.equal(st.mode & 0o777, 0o600, 'the cache file is private');
  });

  test('replacing the binary on PATH reports the new version', async () => {
    fakeRunc('2.0.0-replaced');
    const s = await snap();
    assert.equal(s.binaries.runc?.version, '2.0.0-replaced');
    assert.equal(runs(), 2);
  });

  test('a binary that is gone is never served, whatever the cache says', async () => {
    const fake = path.join(bin, 'runc');
    rmSync(fake);
    const s = await snap();
    // The lookup still tries the sbin folders, where the host's own runc may live: never the fake.
    assert.notEqual(s.binaries.runc?.path, fake);
    assert.notEqual(s.binaries.runc?.version, '2.0.0-replaced');
    const gone = await collectHost({ quick: true, env: { PATH: bin, SPECTRUM_RUNC: fake }, cacheFile, probe: ['runc'] });
    assert.equal(gone.binaries.runc, undefined, 'a configured binary that is gone is not there');
  });

  test('a corrupt cache file is ignored and replaced by a good one', async () => {
    fakeRunc('3.0.0');
    await snap();
    const before = runs();
    writeFileSync(cacheFile, '{"format": 1, "entries": {"runc": ', { mode: 0o600 });
    const s = await snap();
    assert.equal(s.binaries.runc?.version, '3.0.0');
    assert.equal(runs(), before + 1, 'probed again');
    assert.ok(parseCache(readFileSync(cacheFile, 'utf8')), 'rewritten well-formed');
  });

  test('a well-formed cache with wrong field types is ignored', async () => {
    const before = runs();
    writeFileSync(cacheFile, forged('x').replace(/"size":\d+/, '"size":"big"'), { mode: 0o600 });
    assert.equal((await snap()).binaries.runc?.version, '3.0.0');
    assert.equal(runs(), before + 1);
  });

  test('an entry of ours with a matching key is trusted (the control for the next tests)', async () => {
    writeFileSync(cacheFile, forged('7.7.7-ours'), { mode: 0o600 });
    assert.equal((await snap()).binaries.runc?.version, '7.7.7-ours');
  });

  test('a cache file owned by another user is ignored, not trusted', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to give a file to another user (chown)');
    const before = runs();
    writeFileSync(cacheFile, forged('6.6.6-foreign'), { mode: 0o600 });
    chownSync(cacheFile, 65534, 65534);
    const s = await snap();
    assert.equal(s.binaries.runc?.version, '3.0.0');
    assert.equal(runs(), before + 1);
  });

  test('a cache file others can write is ignored', async () => {
    rmSync(cacheFile, { force: true });
    writeFileSync(cacheFile, forged('6.6.6-writable'));
    chmodSync(cacheFile, 0o666);
    assert.equal((await snap()).binaries.runc?.version, '3.0.0');
  });

  test('a symbolic link in place of the cache file is ignored', async () => {
    const elsewhere = path.join(dir, 'elsewhere.json');
    writeFileSync(elsewhere, forged('6.6.6-link'), { mode: 0o600 });
    rmSync(cacheFile, { force: true });
    symlinkSync(elsewhere, cacheFile);
    assert.equal((await snap()).binaries.runc?.version, '3.0.0');
  });

  test('a cache from another boot or kernel is ignored', async () => {
    rmSync(cacheFile, { force: true });
    writeFileSync(cacheFile, forged('6.6.6-old-boot', { bootId: 'another-boot' }), { mode: 0o600 });
    assert.equal((await snap()).binaries.runc?.version, '3.0.0');
    writeFileSync(cacheFile, forged('6.6.6-old-kernel', { kernelRelease: '1.0.0-other' }), { mode: 0o600 });
    assert.equal((await snap()).binaries.runc?.version, '3.0.0');
  });

  test('a launch probes only its own runtimes; the others are located but not started', async () => {
    fakeRunc('4.0.0');
    const before = runs();
    const s = await snap({ probe: ['runsc'] });
    assert.equal(runs(), before, 'runc was not started');
    assert.equal(s.binaries.runc?.path, path.join(bin, 'runc'));
    assert.equal(s.binaries.runc?.version, undefined);
    assert.equal((await snap({ probe: undefined })).binaries.runc?.version, '4.0.0');
    assert.equal(runs(), before + 1);
  });

  test('refresh probes again even when the key matches', async () => {
    const before = runs();
    await snap({ refresh: true });
    assert.equal(runs(), before + 1);
  });
});
