// The ext4 disk an image boots from at the microvm and vm levels, built by the real mke2fs and
// checked by the real e2fsck and debugfs: contents, a clean filesystem, one build for concurrent
// launches, nothing half-built left by a failure, and prune keeping only what images name.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diskSizeFor, disksDir, ensureImageDisk, imageDiskPath, pruneImageDisks } from '../../../engine/vm/image-disk';
import { ImageStore, type ImageRecord } from '../../../engine/images/store';
import { diskUsage } from '../../../engine/images/prune';

const work = mkdtempSync(path.join(os.tmpdir(), 'image-disk-'));
after(() => rmSync(work, { recursive: true, force: true }));

const store = new ImageStore(path.join(work, 'cache'));
const record = (hex: string) => ({ name: `test/${hex.slice(0, 4)}`, manifestDigest: `sha256:${hex}` }) as ImageRecord;
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function tree(): string {
  const root = path.join(work, 'rootfs');
  mkdirSync(path.join(root, 'etc'), { recursive: true });
  mkdirSync(path.join(root, 'usr', 'share', 'deep'), { recursive: true });
  writeFileSync(path.join(root, 'etc', 'os-release'), 'ID=spectrum-test\n');
  writeFileSync(path.join(root, 'usr', 'share', 'deep', 'big'), Buffer.alloc(3 * 1024 * 1024, 1));
  linkSync(path.join(root, 'usr', 'share', 'deep', 'big'), path.join(root, 'usr', 'share', 'hard'));
  symlinkSync('../etc/os-release', path.join(root, 'usr', 'os-release'));
  return root;
}

const debugfs = (img: string, req: string) => spawnSync('debugfs', ['-R', req, img], { encoding: 'utf8' });

test('the disk holds the tree on a clean ext4, sized with room to write', async () => {
  const root = tree();
  const size = diskSizeFor(root);
  assert.ok(size.bytes >= 3 * 1024 * 1024 + 128 * 1024 * 1024, `${size.bytes}`);
  assert.ok(size.bytes < 3 * 1024 * 1024 * 2 + 160 * 1024 * 1024, 'a hard link is counted once');
  const img = await ensureImageDisk(store, record(A), root);
  assert.equal(img, imageDiskPath(store, `sha256:${A}`));
  assert.equal(statSync(img).size, size.bytes);
  assert.equal(debugfs(img, 'cat /etc/os-release').stdout, 'ID=spectrum-test\n');
  assert.match(debugfs(img, 'stat /usr/os-release').stdout, /Fast link dest: "\.\.\/etc\/os-release"/);
  assert.match(debugfs(img, 'stat /usr/share/hard').stdout, /Links: 2/, 'hard links stay hard links');
  const fsck = spawnSync('e2fsck', ['-fn', img], { encoding: 'utf8' });
  assert.equal(fsck.status, 0, fsck.stdout + fsck.stderr);
});

test('concurrent launches of one image wait for a single build; a cached disk is not rebuilt', async () => {
  const root = path.join(work, 'rootfs');
  const [x, y] = await Promise.all([ensureImageDisk(store, record(B), root), ensureImageDisk(store, record(B), root)]);
  assert.equal(x, y);
  const mtime = statSync(x).mtimeMs;
  await ensureImageDisk(store, record(B), root);
  assert.equal(statSync(x).mtimeMs, mtime);
  assert.deepEqual(readdirSync(disksDir(store)).filter((f) => f.includes('.tmp-')), []);
});

test('a failed build is a clear error and leaves no partial disk', async () => {
  const C = 'c'.repeat(64);
  // An unpacked rootfs removed under the build (a prune racing a launch).
  await assert.rejects(ensureImageDisk(store, record(C), path.join(work, 'gone')), /could not build the ext4 disk of image test\/cccc: .*ENOENT/);
  assert.ok(!existsSync(imageDiskPath(store, `sha256:${C}`)));
  assert.deepEqual(readdirSync(disksDir(store)).filter((f) => f.includes('.tmp-')), []);
});

test('prune keeps the disks of named images and removes the rest, counting their bytes', () => {
  writeFileSync(path.join(disksDir(store), `${'d'.repeat(64)}-ext4-v0.ext4`), 'an older recipe');
  const expected = diskUsage(imageDiskPath(store, `sha256:${B}`)) + diskUsage(path.join(disksDir(store), `${'d'.repeat(64)}-ext4-v0.ext4`));
  const r = pruneImageDisks(store, new Set([A]), diskUsage);
  assert.equal(r.disks, 2);
  assert.equal(r.bytes, expected);
  assert.deepEqual(readdirSync(disksDir(store)), [path.basename(imageDiskPath(store, `sha256:${A}`))]);
});
