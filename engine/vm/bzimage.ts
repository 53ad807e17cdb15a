// A bzImage carries the kernel as a compressed payload behind a real-mode setup header. Under
// TCG, booting the uncompressed ELF `vmlinux` through its PVH entry skips the in-guest
// decompression, which is about half the boot time. This file finds and unpacks that payload.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import zlib from 'node:zlib';
import { pipeToFile } from './exec';

export type KernelFormat = 'vmlinux' | 'bzImage';
export type PayloadCompression = 'xz' | 'gzip' | 'zstd' | 'lz4' | 'lzma' | 'bzip2' | 'lzo' | 'unknown';

export interface BzImageHeader {
  protocol: number;
  setupSects: number;
  payloadOffset: number;
  payloadLength: number;
  /** Offset of the payload in the file. */
  payloadStart: number;
  compression: PayloadCompression;
  /** The kernel's version string, e.g. `6.1.0-56-amd64 (debian-kernel@...) #1 SMP ...`. */
  version?: string;
}

/** Tells a bzImage from an ELF vmlinux by their magic numbers; anything else is not a kernel. */
export function detectKernelFormat(head: Buffer): KernelFormat | undefined {
  if (head.length >= 4 && head.readUInt32BE(0) === 0x7f454c46) return 'vmlinux';
  if (head.length >= 0x206 && head.toString('ascii', 0x202, 0x206) === 'HdrS') return 'bzImage';
  return undefined;
}

function compressionOf(b: Buffer): PayloadCompression {
  if (b.length < 6) return 'unknown';
  if (b[0] === 0xfd && b.toString('ascii', 1, 6) === '7zXZ\0') return 'xz';
  if (b[0] === 0x1f && (b[1] === 0x8b || b[1] === 0x9e)) return 'gzip';
  if (b.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (b.readUInt32LE(0) === 0x184c2102) return 'lz4';
  if (b[0] === 0x5d && b[1] === 0) return 'lzma';
  if (b.toString('ascii', 0, 3) === 'BZh') return 'bzip2';
  if (b[0] === 0x89 && b.toString('ascii', 1, 4) === 'LZO') return 'lzo';
  return 'unknown';
}

/** `fileSize` is the whole file's size when `buf` holds only its head. */
export function parseBzImageHeader(buf: Buffer, fileSize = buf.length): BzImageHeader {
  if (detectKernelFormat(buf) !== 'bzImage') throw new Error('not a bzImage (no "HdrS" setup header)');
  const protocol = buf.readUInt16LE(0x206);
  if (protocol < 0x208) throw new Error(`boot protocol ${protocol.toString(16)} is too old to locate the payload (needs 2.08+)`);
  const setupSects = buf[0x1f1] || 4;
  const payloadOffset = buf.readUInt32LE(0x248);
  const payloadLength = buf.readUInt32LE(0x24c);
  const payloadStart = (setupSects + 1) * 512 + payloadOffset;
  if (payloadStart + payloadLength > fileSize) throw new Error('bzImage payload runs past the end of the file (truncated?)');
  const versionPtr = buf.readUInt16LE(0x20e);
  let version: string | undefined;
  if (versionPtr) {
    const start = versionPtr + 0x200;
    const end = buf.indexOf(0, start);
    if (end > start && end - start < 256) version = buf.toString('latin1', start, end);
  }
  return { protocol, setupSects, payloadOffset, payloadLength, payloadStart, compression: payloadStart + 8 <= buf.length ? compressionOf(buf.subarray(payloadStart, payloadStart + 8)) : 'unknown', version };
}

/** The kernel release (`uname -r`) from a version string: its first word. */
/** A kernel release is joined into module paths: only a plain name is taken ("6.1.0-27-amd64"). */
export function safeRelease(r: string | undefined): string | undefined {
  return r && /^[0-9A-Za-z][0-9A-Za-z._+~-]*$/.test(r) && !r.includes('..') ? r : undefined;
}

export function releaseFromVersion(version: string | undefined): string | undefined {
  const m = version?.match(/^(\S+)/);
  return safeRelease(m?.[1]);
}

/** Finds `Linux version <release>` inside an uncompressed kernel image. */
export function releaseFromVmlinux(buf: Buffer): string | undefined {
  const marker = Buffer.from('Linux version ');
  let at = buf.indexOf(marker);
  while (at >= 0) {
    const rest = buf.toString('latin1', at + marker.length, at + marker.length + 80);
    const m = rest.match(/^(\d+\.\d+[^\s]*) \(/);
    if (m) return safeRelease(m[1]);
    at = buf.indexOf(marker, at + 1);
  }
  return undefined;
}

/**
 * Writes the uncompressed vmlinux of `bzPath` to `outPath` (atomically: a temp file renamed).
 * xz and zstd go through the host's `xz`/`zstd` binaries (xz-utils is part of every Debian);
 * gzip through zlib. The payload ends with a 4-byte size trailer, so streams are read single.
 */
export async function extractVmlinux(bzPath: string, outPath: string): Promise<void> {
  const buf = readFileSync(bzPath);
  const h = parseBzImageHeader(buf);
  const payload = buf.subarray(h.payloadStart, h.payloadStart + h.payloadLength);
  const tmp = `${outPath}.tmp-${process.pid}`;
  try {
    await decompress(h.compression, payload, tmp);
    const head = readFileSync(tmp).subarray(0, 4);
    if (detectKernelFormat(head) !== 'vmlinux') throw new Error('the extracted payload is not an ELF vmlinux');
    renameSync(tmp, outPath);
  } finally {
    rmSync(tmp, { force: true });
  }
}

async function decompress(compression: PayloadCompression, payload: Buffer, tmp: string): Promise<void> {
  switch (compression) {
    case 'xz':
      await pipeToFile('xz', ['-dc', '--single-stream'], payload, tmp);
      break;
    case 'zstd':
      await pipeToFile('zstd', ['-dcq'], payload, tmp);
      break;
    case 'gzip':
      writeFileSync(tmp, zlib.gunzipSync(payload, { finishFlush: zlib.constants.Z_SYNC_FLUSH }));
      break;
    default:
      throw new Error(`cannot extract vmlinux: payload compressed with ${compression}; boot the bzImage instead`);
  }
}
