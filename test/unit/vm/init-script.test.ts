import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { exitMarker, newNonce, renderInit, shQuote, startMarker, type InitOptions } from '../../../engine/vm/init-script';

const base: InitOptions = { nonce: 'a1b2c3d4e5f60718293a4b5c', command: ['sh', '-c', "echo 'hi'"], env: {}, modules: [], drives: [], shares: [], network: 'none' };

describe('/init script', () => {
  test('nonces are fresh and long', () => {
    const a = newNonce();
    assert.match(a, /^[0-9a-f]{24}$/);
    assert.notEqual(a, newNonce());
  });

  test('mounts the pseudo filesystems, runs the quoted command, reports behind the nonce, powers off', () => {
    const s = renderInit(base);
    assert.ok(s.startsWith('#!/bin/sh\n'));
    for (const fs of ['proc', 'sysfs', 'devtmpfs']) assert.match(s, new RegExp(`mount -t ${fs} `));
    assert.ok(s.includes(`echo ${startMarker(base.nonce)}`));
    assert.ok(s.includes(`'sh' '-c' 'echo '\\''hi'\\'''`));
    assert.ok(s.includes(`M=${exitMarker(base.nonce)}`));
    assert.match(s, /printf '\\n%s:%d\\n' "\$M" "\$rc"\npoweroff -f\n$/);
  });

  test('loads modules in order, passing their kernel command-line parameters', () => {
    const s = renderInit({ ...base, modules: ['/lib/modules/6.1/kernel/drivers/virtio/virtio.ko', '/lib/modules/6.1/kernel/drivers/virtio/virtio_mmio.ko'] });
    const a = s.indexOf("insmod '/lib/modules/6.1/kernel/drivers/virtio/virtio.ko' $(params virtio)");
    const b = s.indexOf("insmod '/lib/modules/6.1/kernel/drivers/virtio/virtio_mmio.ko' $(params virtio_mmio)");
    assert.ok(a > 0 && b > a);
    assert.ok(s.indexOf('params()') < a);
  });

  test('finds drives by serial, mounts optional ones without failing, and chroots into the root drive', () => {
    const s = renderInit({ ...base, chroot: '/mnt/rootfs', drives: [{ serial: 'rootfs', mountAt: '/mnt/rootfs', readOnly: false }, { serial: 'data', mountAt: '/drives/data', readOnly: true, optional: true }] });
    assert.match(s, /disk 'rootfs'.*mount -o rw "\$dev" '\/mnt\/rootfs' \|\| fail/);
    assert.match(s, /disk 'data'.*mount -o ro "\$dev" '\/drives\/data' \|\| echo "spectrum-init: drive data not mounted"/);
    assert.ok(s.includes("chroot '/mnt/rootfs' 'sh' '-c'"));
  });

  test('configures user-mode networking only for outbound, and 9p shares', () => {
    assert.ok(!renderInit(base).includes('eth0'));
    const s = renderInit({ ...base, network: 'outbound', shares: [{ tag: 'm0', target: '/data', readOnly: true }] });
    assert.ok(s.includes('ip addr add 10.0.2.15/24 dev eth0'));
    assert.ok(s.includes("mount -t 9p -o trans=virtio,version=9p2000.L,ro 'm0' '/data'"));
  });

  test('exports env safely and refuses bad names, empty commands and weak nonces', () => {
    assert.ok(renderInit({ ...base, env: { GREETING: "it's" } }).includes(`export GREETING='it'\\''s'`));
    assert.throws(() => renderInit({ ...base, env: { 'A;rm': 'x' } }), /invalid environment variable/);
    assert.throws(() => renderInit({ ...base, command: [] }), /needs a command/);
    assert.throws(() => renderInit({ ...base, nonce: 'abc' }), /nonce/);
    assert.equal(shQuote("a'b"), `'a'\\''b'`);
  });
});
