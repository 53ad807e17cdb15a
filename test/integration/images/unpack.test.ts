// Layers applied to a real directory: whiteouts, links, compression, and the layers a hostile
// image could carry, which must be refused with nothing written outside the target.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unpackLayers, type LayerInput } from '../../../engine/images/unpack';
import { gzipTar, sha256, tarBytes, type TarEntry } from '../../helpers/tar-layers';

let work: string;
let n = 0;

function layer(entries: TarEntry[], how: 'gzip' | 'none' | 'zstd' = 'gzip'): LayerInput {
  const file = path.join(work, `layer-${n++}`);
  const raw = tarBytes(entries);
  if (how === 'zstd') {
    writeFileSync(`${file}.tar`, raw);
    const r = spawnSync('zstd', ['-q', '-f', '-o', file, `${file}.tar`]);
    assert.equal(r.status, 0, String(r.stderr));
  } else writeFileSync(file, how === 'gzip' ? gzipTar(entries) : raw);
  return { file, diffId: sha256(raw) };
}

function freshRoot(): string {
  return path.join(work, `root-${n++}`);
}

before(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'spectrum-unpack-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('unpack', () => {
  test('files, modes, symlinks, hard links over gzip, zstd and plain layers', async () => {
    const root = freshRoot();
    const stats = await unpackLayers(
      [
        layer([{ path: 'bin/', type: 'Directory' }, { path: 'bin/tool', body: 'v1', mode: 0o4755 }, { path: 'bin/sh', type: 'SymbolicLink', linkpath: '/bin/tool' }], 'gzip'),
        layer([{ path: './etc/', type: 'Directory' }, { path: './etc/conf', body: 'c' }, { path: 'etc/conf.link', type: 'Link', linkpath: 'etc/conf' }], 'zstd'),
        layer([{ path: 'bin/tool', body: 'v2', mode: 0o755 }], 'none'),
      ],
      root,
    );
    assert.equal(readFileSync(path.join(root, 'bin/tool'), 'utf8'), 'v2');
    assert.equal(statSync(path.join(root, 'bin/tool')).mode & 0o7777, 0o755);
    assert.equal(readlinkSync(path.join(root, 'bin/sh')), '/bin/tool');
    assert.equal(statSync(path.join(root, 'etc/conf')).ino, statSync(path.join(root, 'etc/conf.link')).ino);
    assert.equal(stats.entries, 7);
  });

  test('whiteouts delete lower files; an opaque directory keeps only its own layer', async () => {
    const root = freshRoot();
    await unpackLayers(
      [
        layer([{ path: 'a/', type: 'Directory' }, { path: 'a/keep', body: '1' }, { path: 'a/gone', body: '1' }, { path: 'd/', type: 'Directory' }, { path: 'd/old1', body: '1' }, { path: 'd/sub/', type: 'Directory' }, { path: 'd/sub/old2', body: '1' }]),
        layer([{ path: 'a/.wh.gone' }, { path: 'd/new', body: '2' }, { path: 'd/.wh..wh..opq' }, { path: 'a/.wh.never-existed' }]),
      ],
      root,
    );
    assert.deepEqual(readdirSync(path.join(root, 'a')), ['keep']);
    assert.deepEqual(readdirSync(path.join(root, 'd')), ['new']);
    assert.ok(!existsSync(path.join(root, 'a/.wh.gone')));
  });

  test('a file may replace a directory and a directory a file', async () => {
    const root = freshRoot();
    await unpackLayers([layer([{ path: 'x/', type: 'Directory' }, { path: 'x/in', body: '1' }, { path: 'y', body: 'f' }]), layer([{ path: 'x', body: 'now a file' }, { path: 'y/', type: 'Directory' }, { path: 'y/z', body: 'z' }])], root);
    assert.equal(readFileSync(path.join(root, 'x'), 'utf8'), 'now a file');
    assert.equal(readFileSync(path.join(root, 'y/z'), 'utf8'), 'z');
  });

  test('a layer whose content does not match its diff_id is refused', async () => {
    const l = layer([{ path: 'f', body: 'x' }]);
    await assert.rejects(unpackLayers([{ ...l, diffId: sha256('other') }], freshRoot()), /uncompressed digest/);
  });

  describe('hostile layers are refused and the host is untouched', () => {
    const outside = () => path.join(work, 'outside');
    const cases: [string, () => TarEntry[][], RegExp][] = [
      ['a ../ path', () => [[{ path: '../outside/pwned', body: 'x' }]], /climbs out/],
      ['a ../ path inside', () => [[{ path: 'a/../../outside/pwned', body: 'x' }]], /climbs out/],
      ['an absolute path', () => [[{ path: `${outside()}/pwned`, body: 'x' }]], /absolute/],
      ['a symlink to the outside, then a file through it', () => [[{ path: 'esc', type: 'SymbolicLink', linkpath: outside() }, { path: 'esc/pwned', body: 'x' }]], /symlink esc/],
      ['a relative symlink escape planted by a lower layer', () => [[{ path: 'up', type: 'SymbolicLink', linkpath: '../outside' }], [{ path: 'up/pwned', body: 'x' }]], /symlink up/],
      ['an absolute symlink parent', () => [[{ path: 'r', type: 'SymbolicLink', linkpath: '/' }, { path: `r${outside()}/pwned`, body: 'x' }]], /symlink r/],
      ['a hard link to a host file', () => [[{ path: 'h', type: 'Link', linkpath: '../outside/secret' }]], /climbs out/],
      ['a hard link through a symlinked parent', () => [[{ path: 'esc', type: 'SymbolicLink', linkpath: outside() }, { path: 'h', type: 'Link', linkpath: 'esc/secret' }]], /symlink esc/],
      ['a whiteout through a symlinked parent', () => [[{ path: 'esc', type: 'SymbolicLink', linkpath: outside() }, { path: 'esc/.wh.secret' }]], /symlink esc/],
      ['an opaque whiteout through a symlinked parent', () => [[{ path: 'esc', type: 'SymbolicLink', linkpath: outside() }, { path: 'esc/.wh..wh..opq' }]], /symlink esc/],
    ];
    for (const [what, entries, why] of cases) {
      test(what, async () => {
        rmSync(outside(), { recursive: true, force: true });
        mkdirSync(outside());
        writeFileSync(path.join(outside(), 'secret'), 'host data');
        const before = readdirSync(outside());
        await assert.rejects(unpackLayers(entries().map((e) => layer(e)), freshRoot()), why);
        assert.deepEqual(readdirSync(outside()), before);
        assert.equal(readFileSync(path.join(outside(), 'secret'), 'utf8'), 'host data');
        assert.equal(lstatSync(path.join(outside(), 'secret')).nlink, 1);
      });
    }
  });

  test('size and entry caps stop a decompression bomb', async () => {
    const big = layer([{ path: 'zeros', body: Buffer.alloc(4 << 20) }]);
    assert.ok(statSync(big.file).size < 64 << 10, 'the gzip layer is small');
    await assert.rejects(unpackLayers([big], freshRoot(), { maxBytes: 1 << 20, maxEntries: 100 }), /more than 1048576 bytes/);
    const many = layer(Array.from({ length: 50 }, (_, i) => ({ path: `f${i}`, body: '' })));
    await assert.rejects(unpackLayers([many], freshRoot(), { maxBytes: 1 << 30, maxEntries: 10 }), /more than 10 entries/);
  });

  test('garbage is refused as not a tar', async () => {
    const file = path.join(work, 'junk');
    writeFileSync(file, Buffer.from('this is not a tar archive at all'.repeat(40)));
    await assert.rejects(unpackLayers([{ file }], freshRoot()), /tar|layer/i);
  });
});
