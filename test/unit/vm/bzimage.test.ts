import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectKernelFormat, parseBzImageHeader, releaseFromVersion, releaseFromVmlinux } from '../../../engine/vm/bzimage';

/** A synthetic bzImage: setup header fields at their documented offsets and an xz-looking payload. */
function fakeBzImage(opts: { protocol?: number; compression?: Buffer } = {}): Buffer {
  const setupSects = 3;
  const b = Buffer.alloc((setupSects + 1) * 512 + 256);
  b[0x1f1] = setupSects;
  b.write('HdrS', 0x202, 'ascii');
  b.writeUInt16LE(opts.protocol ?? 0x20f, 0x206);
  const version = '6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP';
  b.writeUInt16LE(0x300 - 0x200, 0x20e);
  b.write(version + '\0', 0x300, 'latin1');
  const payload = opts.compression ?? Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2]);
  b.writeUInt32LE(16, 0x248); // payload_offset, from the protected-mode code
  b.writeUInt32LE(payload.length, 0x24c);
  payload.copy(b, (setupSects + 1) * 512 + 16);
  return b;
}

describe('bzImage parsing', () => {
  test('tells a bzImage, an ELF vmlinux and anything else apart', () => {
    assert.equal(detectKernelFormat(fakeBzImage()), 'bzImage');
    assert.equal(detectKernelFormat(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1])), 'vmlinux');
    assert.equal(detectKernelFormat(Buffer.from('#!/bin/sh\necho not a kernel\n'.padEnd(0x300))), undefined);
  });

  test('locates the payload, its compression and the version string', () => {
    const h = parseBzImageHeader(fakeBzImage());
    assert.equal(h.setupSects, 3);
    assert.equal(h.payloadStart, 4 * 512 + 16);
    assert.equal(h.payloadLength, 8);
    assert.equal(h.compression, 'xz');
    assert.equal(releaseFromVersion(h.version), '6.1.0-56-amd64');
  });

  test('recognises gzip and zstd payloads', () => {
    assert.equal(parseBzImageHeader(fakeBzImage({ compression: Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]) })).compression, 'gzip');
    assert.equal(parseBzImageHeader(fakeBzImage({ compression: Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]) })).compression, 'zstd');
  });

  test('refuses boot protocols too old to locate the payload, and truncated files', () => {
    assert.throws(() => parseBzImageHeader(fakeBzImage({ protocol: 0x207 })), /too old/);
    assert.throws(() => parseBzImageHeader(fakeBzImage().subarray(0, 4 * 512 + 10)), /truncated/);
  });

  test('finds the release in an uncompressed kernel', () => {
    const img = Buffer.concat([Buffer.alloc(100), Buffer.from('Linux version %s (%s)\0Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) (gcc-12)\0')]);
    assert.equal(releaseFromVmlinux(img), '6.1.0-56-amd64');
  });
});
