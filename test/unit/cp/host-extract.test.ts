// The host side of a copy out on real files: a tar stream from a sandbox is untrusted, so a bad
// entry refuses the whole copy and leaves the destination's folder as it was.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { extractToHost, hostTarget } from '../../../engine/cp/host-extract';
import { rawTar, type RawEntry } from './raw-tar';

const root = mkdtempSync(path.join(os.tmpdir(), 'spectrum-cp-unit-'));
after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function fresh(): string {
  const d = path.join(root, `d${n++}`);
  mkdirSync(path.join(d, 'dest'), { recursive: true });
  return d;
}

const extract = (entries: RawEntry[], parent: string, name = 'x') =>
  extractToHost(Readable.from([rawTar(entries)]), { top: 'x', parent, name, finished: Promise.resolve(), abort: () => undefined });

describe('extractToHost', () => {
  test('a good archive lands with its modes and symlinks; setuid bits are dropped', async () => {
    const d = fresh();
    const r = await extract(
      [
        { path: './x/', type: 'Directory', mode: 0o750 },
        { path: './x/run.sh', body: 'echo hi\n', mode: 0o755 },
        { path: './x/suid', body: 'x', mode: 0o4755 },
        { path: './x/link', type: 'SymbolicLink', linkpath: 'run.sh' },
        { path: './x/fifo', type: 'FIFO' },
      ],
      path.join(d, 'dest'),
      'copy',
    );
    const out = path.join(d, 'dest', 'copy');
    assert.equal(r.path, out);
    assert.equal(readFileSync(path.join(out, 'run.sh'), 'utf8'), 'echo hi\n');
    assert.equal(lstatSync(path.join(out, 'run.sh')).mode & 0o7777, 0o755);
    assert.equal(lstatSync(out).mode & 0o7777, 0o750);
    assert.equal(lstatSync(path.join(out, 'suid')).mode & 0o7777, 0o755);
    assert.equal(readlinkSync(path.join(out, 'link')), 'run.sh');
    assert.deepEqual(r.skipped.length, 1);
    assert.deepEqual(readdirSync(path.join(d, 'dest')), ['copy'], 'no staging folder left');
  });

  for (const [what, entries] of [
    ['a ../ entry', [{ path: 'x/ok', body: 'ok' }, { path: 'x/../../escaped', body: 'pwned' }]],
    ['an absolute entry', [{ path: 'x/ok', body: 'ok' }, { path: '/tmp/escaped', body: 'pwned' }]],
    ['a file through a symlink of the archive', [{ path: 'x/l', type: 'SymbolicLink', linkpath: '../..' }, { path: 'x/l/escaped', body: 'pwned' }]],
    ['a hard link out', [{ path: 'x/h', type: 'Link', linkpath: '/etc/passwd' }]],
  ] as [string, RawEntry[]][]) {
    test(`${what} refuses the copy and writes nothing`, async () => {
      const d = fresh();
      await assert.rejects(extract(entries, path.join(d, 'dest')), /copy refused: .*nothing was written/);
      assert.deepEqual(readdirSync(path.join(d, 'dest')), []);
      assert.deepEqual(readdirSync(d), ['dest']);
      assert.ok(!existsSync(path.join(root, 'escaped')));
    });
  }

  test('an existing file is replaced, an existing folder is not', async () => {
    const d = fresh();
    writeFileSync(path.join(d, 'dest', 'x'), 'old');
    await extract([{ path: 'x', body: 'new' }], path.join(d, 'dest'));
    assert.equal(readFileSync(path.join(d, 'dest', 'x'), 'utf8'), 'new');
    mkdirSync(path.join(d, 'dest', 'y', 'x'), { recursive: true });
    await assert.rejects(extract([{ path: 'x', body: 'new' }], path.join(d, 'dest', 'y')), /already exists/);
  });

  test('a producer failure fails the copy', async () => {
    const d = fresh();
    await assert.rejects(
      extractToHost(Readable.from([rawTar([{ path: 'x', body: 'a' }])]), { top: 'x', parent: path.join(d, 'dest'), name: 'x', finished: Promise.reject(new Error('tar exited 1')), abort: () => undefined }),
      /tar exited 1/,
    );
    assert.deepEqual(readdirSync(path.join(d, 'dest')), []);
  });

  test('the destination: into a folder, or as a new name beside', () => {
    const d = fresh();
    assert.deepEqual(hostTarget(path.join(d, 'dest'), 'f'), { parent: path.join(d, 'dest'), name: 'f' });
    assert.deepEqual(hostTarget(path.join(d, 'dest', 'g'), 'f'), { parent: path.join(d, 'dest'), name: 'g' });
    assert.throws(() => hostTarget(path.join(d, 'nope', 'g'), 'f'), /no such folder on the host/);
  });
});
