// Real guests booted straight from our boot artefacts and QEMU argv (no engine): they run the
// command in the guest's own kernel, which is the guest kernel, not the host's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootDirect } from './qemu-direct';
import { newestCachedKernel } from '../../../engine/vm/guest-kernel';

const kernel = newestCachedKernel();
// Initramfs images go to a private cache; the guest kernel is read from the shared one.
const cache = mkdtempSync(path.join(os.tmpdir(), 'vm-cache-'));
const env = { ...process.env, SPECTRUM_VM_CACHE: cache };

describe('direct QEMU boots', () => {
  before(() => assert.ok(kernel, 'no guest kernel cached: `npm test` runs the set-up, which fetches it as root (sudo npm run setup)'));
  after(() => rmSync(cache, { recursive: true, force: true }));

  test('microvm: the guest reports its own kernel release and the exit code', async () => {
    const r = await bootDirect({ command: ['sh', '-c', 'uname -r; exit 3'] }, 60_000, env);
    assert.equal(r.timedOut, false);
    assert.equal(r.exitCode, 3);
    assert.equal(r.output.trim(), kernel!.release);
    assert.notEqual(r.output.trim(), os.release());
    assert.equal(r.vm.accel, 'tcg');
    assert.equal(r.vm.kernel.format, 'vmlinux');
  });

  test('microvm with a disk: modules from modules.dep load and an ext4 image mounts', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vm-disk-'));
    try {
      mkdirSync(path.join(dir, 'tree'));
      writeFileSync(path.join(dir, 'tree', 'marker'), 'disk-marker-42\n');
      execFileSync('mkfs.ext4', ['-q', '-F', '-d', path.join(dir, 'tree'), path.join(dir, 'data.img'), '8M']);
      const r = await bootDirect({ command: ['cat', '/drives/data/marker'], drives: [{ id: 'data', path: path.join(dir, 'data.img'), readOnly: true, mountAt: '/drives/data' }] }, 60_000, env);
      assert.equal(r.exitCode, 0, r.output);
      assert.equal(r.output, 'disk-marker-42\n');
      assert.ok(r.vm.modules.some((m) => m.endsWith('virtio_blk.ko')) && r.vm.modules.some((m) => m.endsWith('ext4.ko')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const machine of ['microvm', 'q35'] as const) {
    test(`${machine}: a host folder mounts over 9p read-only and outbound networking reaches the gateway`, async () => {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      const share = path.join(cache, `share-${machine}`);
      mkdirSync(share, { recursive: true });
      writeFileSync(path.join(share, 'f'), 'share-marker\n');
      const script = 'cat /data/f; (echo x > /data/g) 2>/dev/null && echo WRITABLE; ip -4 addr show eth0 | grep -o "inet [0-9./]*"; ping -c1 -W5 10.0.2.2 >/dev/null && echo gw-ok';
      const r = await bootDirect({ machine, command: ['sh', '-c', script], network: 'outbound', mounts: [{ source: share, target: '/data', writable: false }] }, 60_000, env);
      assert.equal(r.exitCode, 0, r.output);
      assert.equal(r.output, 'share-marker\ninet 10.0.2.15/24\ngw-ok\n');
    });
  }
});
