// Hand-made layer tarballs for tests, entry by entry, so a test can hold what no honest tool
// writes: `../` paths, links out of the root, files under a symlinked parent. Headers come from
// node-tar's Header encoder; the rest is the tar framing (512-byte blocks, two zero blocks).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Header, type HeaderData } from 'tar';

export interface TarEntry extends HeaderData {
  path: string;
  /** File content; sets size. */
  body?: string | Buffer;
}

export function tarBytes(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = e.body === undefined ? Buffer.alloc(0) : Buffer.from(e.body);
    const h = new Header({ mode: e.type === 'Directory' ? 0o755 : 0o644, uid: 0, gid: 0, mtime: new Date(1_700_000_000_000), type: 'File', ...e, size: body.length });
    const block = Buffer.alloc(512);
    if (h.encode(block, 0)) throw new Error(`tar-layers: ${e.path} needs a pax header; keep test paths short`);
    blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function gzipTar(entries: TarEntry[]): Buffer {
  return gzipSync(tarBytes(entries));
}

export function sha256(b: Buffer | string): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}
