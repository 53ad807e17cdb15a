// The pure parts of VM snapshots and warm starts: reading drives back from a QEMU argv, the
// exec: URIs QEMU hands to /bin/sh, the inputs check that refuses a snapshot naming what changed,
// the warm hand-over script, which specs may start warm, MACs and fork counts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { driveArgs, execUri } from '../../../engine/snapshots/qemu-save';
import { checkInputs, inputsHash, type QemuInputs } from '../../../engine/snapshots/qemu-inputs';
import { checkForkCount } from '../../../engine/snapshots/fork';
import { chooseVmStart, renderHandover, warmBlocker } from '../../../engine/vm/warm-start';
import { newMac } from '../../../engine/vm/warm-guest';
import { buildQemuArgs, MAC } from '../../../engine/vm/qemu-args';
import type { SandboxSpec } from '../../../engine/spec/types';

const inputs: QemuInputs = { qemuVersion: '7.2.22', machine: 'microvm', accelerator: 'tcg', memoryMiB: 128, vcpus: 1, kernel: '/k size=1 mtime=2', modules: 'virtio.ko', image: 'none', network: 'none' };

function spec(over: Partial<SandboxSpec> = {}): SandboxSpec {
  return { name: 'w', isolation: 'microvm', image: 'busybox', command: ['/bin/true'], env: {}, mounts: [], resources: {}, network: 'none', readonly: true, container: { runtime: 'runc' }, gvisor: { platform: 'auto' }, kernel: 'auto', microvm: { vmm: 'auto' }, devices: [], gpu: 'none', source: { file: '/tmp/w.sandbox.yaml', document: 0 }, ...over };
}

describe('VM snapshots', () => {
  test('drives are read back from the argv buildQemuArgs writes, commas and all', () => {
    const args = buildQemuArgs({ machine: 'microvm', accel: 'tcg', kernel: '/k', append: [], cpus: 1, memoryMiB: 128, shares: [], network: 'none', serial: { kind: 'stdio' }, vfio: [], drives: [
      { id: 'data', path: '/d/a,b.img', readOnly: false },
      { id: 'rootfs', path: '/r.img', readOnly: true },
      { id: 'scratch', path: '/s.img', readOnly: false, snapshot: true },
    ] });
    assert.deepEqual(driveArgs(args), [
      { id: 'data', file: '/d/a,b.img', readOnly: false, throwAway: false },
      { id: 'rootfs', file: '/r.img', readOnly: true, throwAway: false },
      { id: 'scratch', file: '/s.img', readOnly: false, throwAway: true },
    ]);
  });

  test('exec: URIs quote the path so /bin/sh sees it unchanged; line breaks are refused', () => {
    const file = "/tmp/it's a $(touch x) `y`.bin";
    const uri = execUri('load', file);
    assert.ok(uri.startsWith('exec:cat '));
    // What QEMU does with it: /bin/sh -c. Echo the words cat would have got.
    const words = execFileSync('/bin/sh', ['-c', uri.slice(5).replace(/^cat /, 'printf "%s\\n" ')], { encoding: 'utf8' });
    assert.equal(words, `${file}\n`);
    assert.match(execUri('save', '/a/b'), /^exec:cat > '\/a\/b'$/);
    assert.throws(() => execUri('save', '/a\nrm -rf /'), /not usable/);
    assert.throws(() => execUri('save', 'relative'), /not usable/);
  });

  test('a changed input is named in the refusal; an edited record fails its hash', () => {
    const hash = inputsHash(inputs);
    assert.doesNotThrow(() => checkInputs('s', inputs, hash, { ...inputs }));
    assert.throws(() => checkInputs('s', inputs, hash, { ...inputs, qemuVersion: '8.0.0' }), /QEMU version: the snapshot has 7\.2\.22, this host has 8\.0\.0/);
    assert.throws(() => checkInputs('s', inputs, hash, { ...inputs, memoryMiB: 256, vcpus: 2 }), /guest memory \(MiB\): the snapshot has 128, this host has 256; vCPUs: the snapshot has 1, this host has 2/);
    assert.throws(() => checkInputs('s', { ...inputs, kernel: '/other' }, hash, { ...inputs, kernel: '/other' }), /don't match their hash/);
  });

  test('fork counts and MACs', () => {
    assert.equal(checkForkCount(2), 2);
    for (const bad of [0, -1, 1.5, 17, NaN]) assert.throws(() => checkForkCount(bad), /from 1 to 16/);
    const macs = new Set(Array.from({ length: 50 }, newMac));
    assert.equal(macs.size, 50);
    for (const m of macs) {
      assert.match(m, MAC);
      assert.equal(parseInt(m.slice(0, 2), 16) & 0x03, 0x02, `${m} is not locally administered unicast`);
    }
  });
});

describe('warm microVM starts', () => {
  test('the hand-over script runs the command with its words and env, and reports its exit code', () => {
    const nonce = 'ab'.repeat(12);
    const script = renderHandover(nonce, ['/bin/sh', '-c', 'echo "$1|$X"; exit 4', 'sh', "it's $HOME"], { X: 'a "b" `c`' });
    // Run it as the guest's /init would (without the power-off).
    const out = execFileSync('/bin/sh', ['-c', `${script.replace('poweroff -f', 'exit 0')}`], { encoding: 'utf8' });
    assert.equal(out, `SPECTRUM-START-${nonce}\nit's $HOME|a "b" \`c\`\n\nSPECTRUM-EXIT-${nonce}:4\n`);
    assert.throws(() => renderHandover('short', ['/bin/true'], {}), /nonce/);
    assert.throws(() => renderHandover(nonce, ['/bin/true'], { 'A-B': '1' }), /invalid environment variable name/);
  });

  test('which specs start warm, and why the others do not', () => {
    assert.equal(warmBlocker(spec()), undefined);
    assert.deepEqual(chooseVmStart(spec()), { warm: true });
    assert.deepEqual(chooseVmStart(spec({ start: 'cold' })), { warm: false, why: 'start: cold' });
    assert.match(warmBlocker(spec({ network: 'outbound' }))!, /network: outbound is set up at boot/);
    assert.match(warmBlocker(spec({ mounts: [{ source: '/a', target: '/b', writable: false }] }))!, /mounts/);
    assert.match(warmBlocker(spec({ image: 'python:3.12' }))!, /image disk boots cold/);
    assert.match(warmBlocker(spec({ isolation: 'vm' }))!, /vm starts cold/);
    assert.equal(chooseVmStart(spec({ network: 'outbound' })).warm, false);
    assert.throws(() => chooseVmStart(spec({ network: 'outbound', start: 'warm' })), /start: warm is not possible: network: outbound/);
  });
});
