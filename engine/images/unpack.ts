// Applies image layers to a directory, refusing rather than repairing anything that could write
// outside it: a `..` or absolute path, a parent that is a symlink (a layer must never write
// through a link it or an earlier layer planted), a hard link whose target is outside or a
// directory. OCI whiteouts delete what lower layers made. Device nodes need root, so without
// it they are skipped (and counted). Caps on bytes and entries stop decompression bombs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, linkSync, lchownSync, lstatSync, lutimesSync, mkdirSync, openSync, readdirSync, rmSync, symlinkSync, utimesSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { EngineError } from '../errors';
import { openLayer } from './decompress';

export interface UnpackLimits {
  /** Total uncompressed tar bytes over all layers. */
  maxBytes: number;
  maxEntries: number;
}

export const DEFAULT_LIMITS: UnpackLimits = { maxBytes: 32 * 1024 ** 3, maxEntries: 2_000_000 };

export interface UnpackStats {
  entries: number;
  bytes: number;
  skippedDevices: number;
}

export interface LayerInput {
  file: string;
  /** Expected sha256 of the uncompressed tar (the config's diff_id), checked when given. */
  diffId?: string;
}

const WH_PREFIX = '.wh.';
const WH_OPAQUE = '.wh..wh..opq';

class LayerRefused extends EngineError {}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** `a/./b/` to `['a','b']`; throws on `..` and absolute paths. */
export function safeParts(p: string, what: string): string[] {
  if (p.startsWith('/')) throw new LayerRefused(`layer refused: ${what} "${p}" is an absolute path`);
  if (p.includes('\0')) throw new LayerRefused(`layer refused: ${what} holds a NUL byte`);
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) throw new LayerRefused(`layer refused: ${what} "${p}" climbs out with ..`);
  return parts;
}

export class LayerApplier {
  readonly stats: UnpackStats = { entries: 0, bytes: 0, skippedDevices: 0 };
  private readonly isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  private readonly umask = process.umask();
  /** Paths this layer created, which an opaque whiteout in the same layer must keep. */
  private thisLayer = new Set<string>();
  /** A failure while writing a file's data, which happens after its entry was accepted. */
  private late: Error | undefined;

  constructor(
    readonly root: string,
    private readonly limits: UnpackLimits = DEFAULT_LIMITS,
  ) {
    mkdirSync(root, { recursive: true });
  }

  async apply(layer: LayerInput): Promise<void> {
    this.thisLayer = new Set();
    const hash = createHash('sha256');
    let failure: Error | undefined;
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        failure ??= this.late;
        if (failure) return entry.resume();
        try {
          this.entry(entry);
        } catch (err) {
          failure = err as Error;
          entry.resume();
        }
      },
    });
    const counter = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        this.stats.bytes += chunk.length;
        if (this.stats.bytes > this.limits.maxBytes) return cb(new LayerRefused(`layer refused: the image unpacks to more than ${this.limits.maxBytes} bytes`));
        hash.update(chunk);
        if (failure) return cb(failure);
        if (parser.write(chunk)) cb();
        else parser.once('drain', () => cb());
      },
      final: (cb) => {
        parser.once('end', () => cb(failure ?? this.late ?? null));
        parser.end();
      },
    });
    parser.on('error', (err: Error) => {
      failure ??= new LayerRefused(`layer refused: not a valid tar: ${err.message}`);
    });
    try {
      await pipeline(openLayer(layer.file), counter);
    } catch (err) {
      if (err instanceof EngineError) throw err;
      throw new EngineError(`cannot unpack layer ${path.basename(layer.file)}: ${(err as Error).message}`);
    }
    failure ??= this.late;
    if (failure) throw failure;
    const diffId = `sha256:${hash.digest('hex')}`;
    if (layer.diffId && layer.diffId !== diffId) throw new LayerRefused(`layer refused: its uncompressed digest is ${diffId}, the image config says ${layer.diffId}`);
  }

  /** Joins and checks every existing parent: a symlink there is refused, a file is replaced. */
  private parent(parts: string[], what: string): string {
    let cur = this.root;
    for (const part of parts.slice(0, -1)) {
      cur = path.join(cur, part);
      const st = lstatOrUndefined(cur);
      if (st?.isSymbolicLink()) throw new LayerRefused(`layer refused: ${what} "${parts.join('/')}" goes through the symlink ${path.relative(this.root, cur)}`);
      if (st && !st.isDirectory()) rmSync(cur, { force: true });
      if (!st || !st.isDirectory()) mkdirSync(cur, { mode: 0o755 });
    }
    return path.join(cur, parts[parts.length - 1]);
  }

  /** Like parent(), but creates nothing: undefined when a parent is missing. */
  private existing(parts: string[], what: string): string | undefined {
    if (parts.length === 0) return undefined;
    let cur = this.root;
    for (const part of parts.slice(0, -1)) {
      cur = path.join(cur, part);
      const st = lstatOrUndefined(cur);
      if (st?.isSymbolicLink()) throw new LayerRefused(`layer refused: ${what} "${parts.join('/')}" goes through the symlink ${path.relative(this.root, cur)}`);
      if (!st?.isDirectory()) return undefined;
    }
    return path.join(cur, parts[parts.length - 1]);
  }

  private entry(entry: ReadEntry): void {
    if (++this.stats.entries > this.limits.maxEntries) throw new LayerRefused(`layer refused: more than ${this.limits.maxEntries} entries`);
    const parts = safeParts(entry.path, 'the path');
    if (parts.length === 0) return void entry.resume();
    const name = parts[parts.length - 1];
    if (name === WH_OPAQUE) {
      const dir = path.dirname(this.parent(parts, 'the whiteout'));
      const rel = parts.slice(0, -1).join('/');
      for (const child of readdirSync(dir)) {
        if (!this.thisLayer.has(rel ? `${rel}/${child}` : child)) rmSync(path.join(dir, child), { recursive: true, force: true });
      }
      return void entry.resume();
    }
    if (name.startsWith(WH_PREFIX)) {
      const target = this.parent([...parts.slice(0, -1), name.slice(WH_PREFIX.length)], 'the whiteout');
      rmSync(target, { recursive: true, force: true });
      return void entry.resume();
    }
    const dest = this.parent(parts, 'the path');
    const rel = parts.join('/');
    this.thisLayer.add(rel);
    const mode = (entry.mode ?? 0o644) & 0o7777;
    const existing = lstatOrUndefined(dest);
    if (existing && !(existing.isDirectory() && entry.type === 'Directory')) rmSync(dest, { recursive: true, force: true });
    switch (entry.type) {
      case 'Directory':
      case 'GNUDumpDir':
        if (!existing?.isDirectory()) mkdirSync(dest, { mode: 0o700 });
        this.owner(dest, entry);
        chmodSync(dest, this.isRoot ? mode : mode | 0o700);
        return void entry.resume();
      case 'File':
      case 'OldFile':
      case 'ContiguousFile':
        return this.file(entry, dest, mode);
      case 'SymbolicLink':
        if (!entry.linkpath) throw new LayerRefused(`layer refused: the symlink ${rel} has no target`);
        symlinkSync(entry.linkpath, dest);
        this.owner(dest, entry);
        if (entry.mtime) lutimesSync(dest, entry.mtime, entry.mtime);
        return void entry.resume();
      case 'Link': {
        const tparts = safeParts(entry.linkpath ?? '', 'the hard link target');
        const target = this.existing(tparts, 'the hard link target');
        const st = target === undefined ? undefined : lstatOrUndefined(target);
        if (!st || target === undefined) throw new LayerRefused(`layer refused: the hard link ${rel} points at ${entry.linkpath}, which does not exist`);
        if (st.isDirectory()) throw new LayerRefused(`layer refused: the hard link ${rel} points at a directory`);
        linkSync(target, dest);
        return void entry.resume();
      }
      case 'CharacterDevice':
      case 'BlockDevice':
      case 'FIFO': {
        if (!this.isRoot && entry.type !== 'FIFO') {
          this.stats.skippedDevices++;
          return void entry.resume();
        }
        const kind = entry.type === 'FIFO' ? 'p' : entry.type === 'CharacterDevice' ? 'c' : 'b';
        const args = kind === 'p' ? [dest, 'p'] : [dest, kind, String(entry.header.devmaj ?? 0), String(entry.header.devmin ?? 0)];
        const r = spawnSync('mknod', ['-m', mode.toString(8), ...args], { stdio: 'ignore' });
        if (r.status !== 0) this.stats.skippedDevices++;
        else this.owner(dest, entry);
        return void entry.resume();
      }
      default:
        // Metadata entries are consumed by the parser; anything else (sparse, tape headers) has
        // no place in an image.
        throw new LayerRefused(`layer refused: ${rel} is a ${entry.type} entry`);
    }
  }

  private file(entry: ReadEntry, dest: string, mode: number): void {
    // O_EXCL on a path just emptied: never opens through a link. Created with its mode where the
    // umask allows, so most files need no chmod afterwards.
    const fd = openSync(dest, 'wx', mode & 0o777);
    const needsChmod = (mode & 0o7000) !== 0 || (mode & 0o777 & this.umask) !== 0;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      closeSync(fd);
    };
    const guard = (fn: () => void) => () => {
      try {
        fn();
      } catch (err) {
        close();
        this.late ??= err as Error;
      }
    };
    entry.on('data', (chunk: Buffer) =>
      guard(() => {
        if (!closed) for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
      })(),
    );
    entry.on(
      'end',
      guard(() => {
        close();
        // Owner first: chown clears setuid bits that chmod then restores.
        this.owner(dest, entry);
        if (needsChmod) chmodSync(dest, mode);
        if (entry.mtime) utimesSync(dest, entry.mtime, entry.mtime);
      }),
    );
    entry.on('error', close);
  }

  private owner(dest: string, entry: ReadEntry): void {
    // Root creates files as 0:0 already; most image files are root's.
    if (!this.isRoot || entry.uid === undefined || entry.gid === undefined || (entry.uid === 0 && entry.gid === 0)) return;
    lchownSync(dest, entry.uid, entry.gid);
  }
}

/** Unpacks layers bottom to top into `dest`, which must not exist yet. */
export async function unpackLayers(layers: LayerInput[], dest: string, limits: UnpackLimits = DEFAULT_LIMITS): Promise<UnpackStats> {
  const applier = new LayerApplier(dest, limits);
  for (const layer of layers) await applier.apply(layer);
  return applier.stats;
}
