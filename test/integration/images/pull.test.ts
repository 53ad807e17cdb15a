// Pulls from a real registry (docker-registry, started here) into a real store: manifests,
// indexes, auth, verification, concurrency, imports and prune.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importArchive } from '../../../engine/images/archive-source';
import { importLayout } from '../../../engine/images/layout-source';
import type { ImageConfig } from '../../../engine/images/media-types';
import { diskUsage, pruneStore } from '../../../engine/images/prune';
import { pullImage } from '../../../engine/images/pull';
import { ensureRootfs } from '../../../engine/images/rootfs-cache';
import { ImageStore } from '../../../engine/images/store';
import { startRegistry, type TestRegistry } from '../../helpers/registry';
import { testImageLayout } from '../../helpers/test-images';

let work: string;
let layout: string;
let reg: TestRegistry;
let n = 0;
const freshStore = () => new ImageStore(path.join(work, `cache-${n++}`));
const layoutDigest = (tag: string): string => {
  const idx = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
  return idx.manifests.find((m) => m.annotations['org.opencontainers.image.ref.name'] === tag)?.digest as string;
};

before(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'spectrum-pull-'));
  layout = testImageLayout();
  reg = await startRegistry();
  await reg.push(`oci:${layout}:tiny`, 'test/tiny:1');
  await reg.push(`oci:${layout}:whiteout`, 'test/whiteout:1');
  await reg.push(`oci:${layout}:multi`, 'test/multi:1', { all: true });
});
after(async () => {
  await reg?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('pull from a registry', () => {
  test('a one-layer image: blobs verified into the store, unpacked once, config kept', async () => {
    const store = freshStore();
    const rec = await pullImage(store, `${reg.host}/test/tiny:1`);
    assert.equal(rec.name, `${reg.host}/test/tiny:1`);
    assert.equal(rec.manifestDigest, layoutDigest('tiny'), 'the registry kept the manifest bytes, so the digest is the layout one');
    assert.equal(rec.layers.length, 1);
    assert.equal(rec.platform, 'linux/amd64');
    for (const d of [rec.manifestDigest, rec.configDigest, ...rec.layers]) assert.ok(store.hasBlob(d), d);
    const cfg = store.readJson<ImageConfig>(rec.configDigest);
    assert.deepEqual(cfg.config?.Entrypoint, ['/bin/sh', '-c']);
    assert.ok(cfg.config?.Env?.includes('GREETING=hello'));
    const root = await ensureRootfs(store, rec);
    assert.ok(statSync(path.join(root, 'bin', 'busybox')).size > 100_000);
    const ino = statSync(root).ino;
    assert.equal(statSync(await ensureRootfs(store, rec)).ino, ino, 'unpacked once');
    assert.deepEqual(store.records().map((r) => r.name), [rec.name]);
  });

  test('by digest, and progress reports every blob', async () => {
    const store = freshStore();
    const seen = new Map<string, number>();
    const rec = await pullImage(store, `${reg.host}/test/tiny@${layoutDigest('tiny')}`, { onProgress: (p) => p.done && seen.set(p.digest, p.bytes) });
    assert.equal(rec.manifestDigest, layoutDigest('tiny'));
    assert.deepEqual([...seen.keys()].sort(), [rec.configDigest, ...rec.layers].sort());
    for (const [d, bytes] of seen) assert.equal(bytes, statSync(store.blobPath(d)).size);
  });

  test('whiteouts of the upper layer are honoured', async () => {
    const store = freshStore();
    const rec = await pullImage(store, `${reg.host}/test/whiteout:1`);
    assert.equal(rec.layers.length, 2);
    const root = await ensureRootfs(store, rec);
    assert.ok(!existsSync(path.join(root, 'etc', 'doomed')));
    assert.equal(readFileSync(path.join(root, 'etc', 'replaced'), 'utf8'), 'upper\n');
    assert.deepEqual(readdirSync(path.join(root, 'data', 'old')), ['b']);
  });

  test('a multi-platform index resolves to this host', async () => {
    const store = freshStore();
    const rec = await pullImage(store, `${reg.host}/test/multi:1`);
    assert.ok(rec.indexDigest);
    assert.equal(rec.manifestDigest, layoutDigest('tiny'));
    await assert.rejects(pullImage(freshStore(), `${reg.host}/test/multi:1`, { platform: { os: 'linux', architecture: 'riscv64' } }), /no linux\/riscv64 variant \(it offers: linux\/amd64, linux\/arm64\/v8\)/);
  });

  test('unknown names are a clear error', async () => {
    await assert.rejects(pullImage(freshStore(), `${reg.host}/test/nope:1`), /not found/);
  });

  test('two concurrent pulls of one image fetch each blob once', async () => {
    const store = freshStore();
    const gets: string[] = [];
    const counting: typeof fetch = async (input, init) => {
      const url = String(input);
      if (url.includes('/blobs/')) gets.push(url.slice(url.lastIndexOf('/') + 1));
      return fetch(input, init);
    };
    const [a, b] = await Promise.all([pullImage(store, `${reg.host}/test/whiteout:1`, { fetch: counting }), pullImage(store, `${reg.host}/test/whiteout:1`, { fetch: counting })]);
    assert.equal(a.manifestDigest, b.manifestDigest);
    const blobs = [a.configDigest, ...a.layers];
    assert.deepEqual([...gets].sort(), [...blobs].sort(), 'each blob fetched exactly once');
    const [r1, r2] = await Promise.all([ensureRootfs(store, a), ensureRootfs(store, b)]);
    assert.equal(r1, r2);
  });

  test('a blob whose content does not match its digest is refused and nothing partial is left', async () => {
    const tmpReg = await startRegistry();
    try {
      await tmpReg.push(`oci:${layout}:tiny`, 'bad/tiny:1');
      const layer = JSON.parse(readFileSync(path.join(layout, 'blobs', 'sha256', layoutDigest('tiny').slice(7)), 'utf8')).layers[0].digest as string;
      const data = path.join(tmpReg.dir, 'data', 'docker', 'registry', 'v2', 'blobs', 'sha256', layer.slice(7, 9), layer.slice(7), 'data');
      const bytes = readFileSync(data);
      bytes[bytes.length >> 1] ^= 0xff;
      writeFileSync(data, bytes);
      const store = freshStore();
      await assert.rejects(pullImage(store, `${tmpReg.host}/bad/tiny:1`), /does not match its digest/);
      const blobDir = path.join(store.root, 'blobs', 'sha256');
      assert.ok(!store.hasBlob(layer));
      assert.deepEqual(readdirSync(blobDir).filter((f) => f.includes('partial')), []);
      assert.ok(!store.hasBlob(layoutDigest('tiny')), 'no manifest stored for an image whose blobs failed');
      assert.deepEqual(store.records(), []);
    } finally {
      await tmpReg.stop();
    }
  });
});

describe('registry auth', () => {
  let authReg: TestRegistry;
  before(async () => {
    authReg = await startRegistry({ basicAuth: true });
    await authReg.push(`oci:${layout}:tiny`, 'private/tiny:1');
  });
  after(async () => authReg?.stop());

  test('Basic auth with credentials from $REGISTRY_AUTH_FILE', async () => {
    const user = authReg.user as { username: string; password: string };
    const authFile = path.join(work, 'auth.json');
    writeFileSync(authFile, JSON.stringify({ auths: { [authReg.host]: { auth: Buffer.from(`${user.username}:${user.password}`).toString('base64') } } }));
    const rec = await pullImage(freshStore(), `${authReg.host}/private/tiny:1`, { env: { HOME: work, REGISTRY_AUTH_FILE: authFile } });
    assert.equal(rec.manifestDigest, layoutDigest('tiny'));
  });

  test('the Bearer token flow: realm, service and scope from the challenge', async () => {
    const tokenReg = await startRegistry({ tokenAuth: true });
    try {
      await tokenReg.push(`oci:${layout}:tiny`, 'team/tiny:1');
      const rec = await pullImage(freshStore(), `${tokenReg.host}/team/tiny:1`, { env: { HOME: work }, credentials: tokenReg.user });
      assert.equal(rec.manifestDigest, layoutDigest('tiny'));
      assert.ok(tokenReg.tokenRequests?.includes('repository:team/tiny:pull'), String(tokenReg.tokenRequests));
      await assert.rejects(pullImage(freshStore(), `${tokenReg.host}/team/tiny:1`, { env: { HOME: work }, credentials: { username: 'tester', password: 'wrong' } }), /token service .* answered HTTP 401/);
    } finally {
      await tokenReg.stop();
    }
  });

  test('no or wrong credentials: a clear refusal', async () => {
    await assert.rejects(pullImage(freshStore(), `${authReg.host}/private/tiny:1`, { env: { HOME: work } }), /asks for a user name and password/);
    await assert.rejects(pullImage(freshStore(), `${authReg.host}/private/tiny:1`, { env: { HOME: work }, credentials: { username: 'tester', password: 'wrong' } }), /access denied/);
  });
});

describe('local sources', () => {
  test('oci-layout: with a tag, through an index', async () => {
    const store = freshStore();
    const rec = await importLayout(store, `${layout}:multi`);
    assert.equal(rec.name, `oci-layout:${layout}:multi`);
    assert.equal(rec.manifestDigest, layoutDigest('tiny'));
    await assert.rejects(importLayout(store, layout), /holds \d+ images; name one/);
    await assert.rejects(importLayout(store, `${layout}:nope`), /no image tagged "nope"/);
  });

  test('docker-archive: what skopeo (like docker save) writes', async () => {
    const tar = path.join(work, 'saved.tar');
    const r = spawnSync('skopeo', ['copy', '--quiet', `oci:${layout}:whiteout`, `docker-archive:${tar}:saved/whiteout:1`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const store = freshStore();
    const rec = await importArchive(store, tar);
    assert.equal(rec.layers.length, 2);
    const root = await ensureRootfs(store, rec);
    assert.equal(readFileSync(path.join(root, 'etc', 'replaced'), 'utf8'), 'upper\n');
    assert.ok(!existsSync(path.join(root, 'etc', 'doomed')));
    assert.deepEqual(readdirSync(path.join(store.root, 'tmp')), [], 'no temporary files left');
  });
});

describe('prune', () => {
  test('frees what no image references, and says how much', async () => {
    const store = freshStore();
    const tiny = await pullImage(store, `${reg.host}/test/tiny:1`);
    const two = await pullImage(store, `${reg.host}/test/whiteout:1`);
    await ensureRootfs(store, tiny);
    await ensureRootfs(store, two);
    assert.equal(pruneStore(store).bytes, 0, 'nothing to free while both are named');
    assert.ok(store.removeRecord(two.name));
    const only = new Set([two.manifestDigest, two.configDigest, ...two.layers].filter((d) => ![tiny.manifestDigest, tiny.configDigest, ...tiny.layers].includes(d)));
    let expected = diskUsage(store.rootfsDir(two.manifestDigest));
    for (const d of only) expected += diskUsage(store.blobPath(d));
    const res = pruneStore(store);
    assert.equal(res.bytes, expected);
    assert.equal(res.blobs, only.size);
    assert.equal(res.rootfs, 1);
    for (const d of only) assert.ok(!store.hasBlob(d));
    for (const d of [tiny.manifestDigest, tiny.configDigest, ...tiny.layers]) assert.ok(store.hasBlob(d));
    assert.ok(existsSync(store.rootfsDir(tiny.manifestDigest)));
  });

  test('keeps the rootfs of an image a running sandbox uses', async () => {
    const store = freshStore();
    const tiny = await pullImage(store, `${reg.host}/test/tiny:1`);
    await ensureRootfs(store, tiny);
    store.removeRecord(tiny.name);
    const res = pruneStore(store, [tiny.manifestDigest]);
    assert.equal(res.rootfs, 0);
    assert.ok(existsSync(store.rootfsDir(tiny.manifestDigest)));
  });
});
