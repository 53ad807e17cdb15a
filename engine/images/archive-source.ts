// Importing what `docker save` / `podman save` write (`docker-archive:FILE.tar`): one pass over
// the tar stores every file as a blob by the digest of its bytes, then manifest.json says which
// are the config and the layers, and an OCI manifest is made for them so the rest of the store
// treats the image like a pulled one.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { EngineError } from '../errors';
import { OCI_CONFIG, OCI_LAYER, OCI_LAYER_GZIP, OCI_MANIFEST, type ImageConfig, type ImageManifest } from './media-types';
import { formatPlatform, hostPlatform } from './platform';
import { sniffCompression } from './decompress';
import type { ImageRecord, ImageStore } from './store';

interface Member {
  digest: string;
  size: number;
  tmp: string;
}

interface ArchiveManifest {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

export async function importArchive(store: ImageStore, file: string): Promise<ImageRecord> {
  const abs = path.resolve(file);
  if (!existsSync(abs)) throw new EngineError(`docker-archive: ${abs} does not exist`);
  const tmpDir = path.join(store.root, 'tmp', `archive-${process.pid}-${Date.now()}`);
  mkdirSync(tmpDir, { recursive: true });
  const members = new Map<string, Member>();
  try {
    let n = 0;
    let failure: Error | undefined;
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        if (entry.type !== 'File' && entry.type !== 'OldFile') return void entry.resume();
        const name = entry.path.replace(/^\.\//, '');
        const tmp = path.join(tmpDir, String(n++));
        const fd = openSync(tmp, 'w');
        const hash = createHash('sha256');
        let size = 0;
        entry.on('data', (c: Buffer) => {
          try {
            hash.update(c);
            size += c.length;
            for (let off = 0; off < c.length; ) off += writeSync(fd, c, off);
          } catch (err) {
            failure ??= err as Error;
          }
        });
        entry.on('end', () => {
          closeSync(fd);
          members.set(name, { digest: `sha256:${hash.digest('hex')}`, size, tmp });
        });
      },
    });
    await pipeline(createReadStream(abs), parser).catch((err: Error) => {
      throw new EngineError(`docker-archive: ${abs} is not a readable tar: ${err.message}`);
    });
    if (failure) throw failure;
    const mf = members.get('manifest.json');
    if (!mf) throw new EngineError(`docker-archive: ${abs} has no manifest.json (is it a docker save archive?)`);
    const list = JSON.parse(await readText(mf.tmp)) as ArchiveManifest[];
    const entry = Array.isArray(list) ? list[0] : undefined;
    if (!entry?.Config || !Array.isArray(entry.Layers)) throw new EngineError(`docker-archive: ${abs}: manifest.json names no image`);
    const pick = (name: string): Member => {
      const m = members.get(name.replace(/^\.\//, ''));
      if (!m) throw new EngineError(`docker-archive: ${abs} lacks ${name}, which its manifest.json names`);
      return m;
    };
    const adopt = (m: Member) => {
      if (store.hasBlob(m.digest, m.size)) return;
      const dest = store.blobPath(m.digest);
      mkdirSync(path.dirname(dest), { recursive: true });
      renameSync(m.tmp, dest);
    };
    const config = pick(entry.Config);
    const layers = entry.Layers.map(pick);
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.size },
      layers: layers.map((l) => ({ mediaType: sniffCompression(l.tmp) === 'gzip' ? OCI_LAYER_GZIP : OCI_LAYER, digest: l.digest, size: l.size })),
    };
    for (const m of [config, ...layers]) adopt(m);
    const bytes = Buffer.from(JSON.stringify(manifest));
    const manifestDigest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    store.putBytes(manifestDigest, bytes);
    const cfg = store.readJson<ImageConfig>(config.digest);
    const host = hostPlatform();
    const rec: ImageRecord = {
      name: `docker-archive:${abs}`,
      manifestDigest,
      configDigest: config.digest,
      layers: layers.map((l) => l.digest),
      size: config.size + layers.reduce((s, l) => s + l.size, 0),
      platform: formatPlatform({ os: cfg.os ?? host.os, architecture: cfg.architecture ?? host.architecture }),
      ...(cfg.created ? { created: cfg.created } : {}),
      pulledAt: new Date().toISOString(),
    };
    store.saveRecord(rec);
    return rec;
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

async function readText(file: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(file)) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
