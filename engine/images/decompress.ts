// Layer bytes to tar bytes: gzip through zlib, zstd through fzstd (Node 20's zlib has no zstd),
// plain tar as is. The magic bytes decide, not the media type, which some tools get wrong.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import type { LayerCompression } from './media-types';

export function sniffCompression(file: string): LayerCompression {
  const head = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

function zstdStream(): Transform {
  let push: ((c: Uint8Array) => void) | undefined;
  const dec = new Decompress((chunk) => push?.(chunk));
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      push = (c) => this.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
      try {
        dec.push(chunk);
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb) {
      push = (c) => this.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
      try {
        dec.push(new Uint8Array(0), true);
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
  });
}

/** The layer's uncompressed tar stream. */
export function openLayer(file: string): Readable {
  const kind = sniffCompression(file);
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  if (kind === 'none') return raw;
  const dec = kind === 'gzip' ? createGunzip({ chunkSize: 1 << 17 }) : zstdStream();
  raw.on('error', (err) => dec.destroy(err));
  return raw.pipe(dec);
}
