// How an image's disk is named, built and attached: the recipe in its file name (so a changed
// recipe never reuses an old disk), mke2fs's options, and QEMU's throw-away layer for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diskManifestHex, DISK_RECIPE, imageDiskPath, mke2fsArgs } from '../../../engine/vm/image-disk';
import { ImageStore } from '../../../engine/images/store';
import { buildQemuArgs, type QemuPlan } from '../../../engine/vm/qemu-args';

const HEX = 'ab'.repeat(32);

test('a disk is named by manifest digest and recipe; others are not taken for one', () => {
  const p = imageDiskPath(new ImageStore('/c'), `sha256:${HEX}`);
  assert.equal(p, `/c/images/disks/${HEX}-${DISK_RECIPE}.ext4`);
  assert.equal(diskManifestHex(`${HEX}-${DISK_RECIPE}.ext4`), HEX);
  assert.equal(diskManifestHex(`${HEX}-ext4-v0.ext4`), undefined, 'an older recipe');
  assert.equal(diskManifestHex(`${HEX}-${DISK_RECIPE}.ext4.tmp-12`), undefined, 'a build in progress');
});

test('mke2fs builds from the directory with no journal, zeroed inode tables and the computed size', () => {
  const a = mke2fsArgs('/root fs', '/d/x.ext4', { bytes: 200 * 1024 * 1024, inodes: 5000 });
  assert.deepEqual(a.slice(-4), ['-d', '/root fs', '/d/x.ext4', '204800k']);
  assert.equal(a[a.indexOf('-N') + 1], '5000');
  assert.equal(a[a.indexOf('-O') + 1], '^has_journal');
  assert.equal(a[a.indexOf('-E') + 1], 'lazy_itable_init=0');
});

test('QEMU attaches an image disk through a snapshot unless it is read-only', () => {
  const plan = (readOnly: boolean): QemuPlan => ({
    machine: 'microvm', accel: 'tcg', kernel: '/k', initrd: '/i', append: [], cpus: 1, memoryMiB: 256, shares: [], network: 'none', serial: { kind: 'stdio' }, vfio: [],
    drives: [{ id: 'rootfs', path: '/d/x.ext4', readOnly, snapshot: true }],
  });
  const drive = (p: QemuPlan) => { const a = buildQemuArgs(p); return a[a.indexOf('-drive') + 1]; };
  assert.match(drive(plan(false)), /,snapshot=on$/);
  assert.match(drive(plan(true)), /,readonly=on$/);
  assert.doesNotMatch(drive(plan(true)), /snapshot/);
});
