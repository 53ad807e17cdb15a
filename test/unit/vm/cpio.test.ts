import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readCpio, writeCpio } from '../../../engine/vm/cpio';

describe('newc cpio writer', () => {
  test('round-trips files, dirs, symlinks and device nodes', () => {
    const buf = writeCpio([
      { type: 'dir', name: 'bin' },
      { type: 'file', name: '/bin/hello', data: Buffer.from('abc'), mode: 0o755 },
      { type: 'symlink', name: 'bin/sh', target: 'busybox' },
      { type: 'chardev', name: 'dev/console', major: 5, minor: 1 },
    ]);
    const e = readCpio(buf);
    assert.deepEqual(e.map((x) => x.name), ['bin', 'bin/hello', 'bin/sh', 'dev/console']);
    assert.equal(e[0].mode, 0o040755);
    assert.equal(e[1].mode, 0o100755);
    assert.equal(e[1].data.toString(), 'abc');
    assert.equal(e[2].mode & 0o170000, 0o120000);
    assert.equal(e[2].data.toString(), 'busybox');
    assert.equal(e[3].mode, 0o020600);
    assert.deepEqual([e[3].rdevMajor, e[3].rdevMinor], [5, 1]);
  });

  test('every header starts 4-byte aligned and the archive ends with the trailer', () => {
    const buf = writeCpio([
      { type: 'file', name: 'a', data: Buffer.from('x') },
      { type: 'file', name: 'bb', data: Buffer.from('yyyyy') },
    ]);
    assert.equal(buf.length % 4, 0);
    let at = -1;
    const offsets: number[] = [];
    while ((at = buf.indexOf('070701', at + 1)) >= 0) offsets.push(at);
    assert.equal(offsets.length, 3);
    for (const o of offsets) assert.equal(o % 4, 0);
    assert.ok(buf.includes('TRAILER!!!\0'));
    // Header fields are 8 hex digits: the file size of "bb" (5) sits in the 7th field.
    const h = buf.toString('ascii', offsets[1], offsets[1] + 110);
    assert.equal(parseInt(h.slice(6 + 6 * 8, 6 + 7 * 8), 16), 5);
    assert.equal(parseInt(h.slice(6 + 11 * 8, 6 + 12 * 8), 16), 3); // "bb\0"
  });
});
