// microVM/VM networking: QEMU hostfwd rules for ports (and refusal of anything else in them),
// and where QEMU runs: inside pasta's namespace unless the spec allows the host's loopback.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildQemuArgs, guestBootArgs, type QemuPlan } from '../../../engine/vm/qemu-args';
import { hostfwdRule, vmNetwork } from '../../../engine/net/vm-network';
import { parsePort } from '../../../engine/spec/ports';
import type { PortSpec } from '../../../engine/spec/types';
import type { DriverContext } from '../../../engine/drivers/driver';
import { host, spec } from '../engine/helpers';

const port = (s: string) => parsePort(s) as PortSpec;
const plan: QemuPlan = {
  machine: 'microvm', accel: 'tcg', kernel: '/k/vmlinux', initrd: '/s/initrd.img', append: guestBootArgs('tcg', 2445428, 'microvm'),
  cpus: 1, memoryMiB: 256, drives: [], shares: [], network: 'outbound', serial: { kind: 'stdio' }, vfio: [],
};
const netdev = (args: string[]) => args[args.indexOf('-netdev') + 1];

describe('QEMU hostfwd', () => {
  test('rules are appended to the user netdev', () => {
    const a = buildQemuArgs({ ...plan, hostfwd: ['tcp:127.0.0.1:8080-:80', 'udp::5353-:53'] });
    assert.equal(netdev(a), 'user,id=net0,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=udp::5353-:53');
    assert.equal(netdev(buildQemuArgs(plan)), 'user,id=net0');
  });
  test('a rule that could smuggle options is refused', () => {
    assert.throws(() => buildQemuArgs({ ...plan, hostfwd: ['tcp:127.0.0.1:8080-:80,smb=/'] }), /hostfwd rule must look like/);
  });
  test('rule text from a port', () => {
    assert.equal(hostfwdRule(port('127.0.0.1:5353:53/udp'), { address: '127.0.0.1', port: 5353 }), 'udp:127.0.0.1:5353-:53');
  });
});

describe('where QEMU runs', () => {
  const ctx = (over: Parameters<typeof spec>[0], runDir: string): DriverContext => ({
    id: 'v-1', spec: spec({ isolation: 'microvm', ...over }), dir: runDir, runDir, cacheDir: runDir,
    host: host({ binaries: { pasta: { path: '/usr/bin/pasta' } } }), unsafe: false,
  });
  test('none: no network at all', () => {
    assert.equal(vmNetwork(ctx({ network: 'none' }, '/nowhere')), undefined);
  });
  test('outbound: inside the namespace; pasta publishes the host port, QEMU forwards it to the guest port', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vmnet-'));
    try {
      const n = vmNetwork(ctx({ network: 'outbound', ports: [port('8080:80')] }, dir))!;
      assert.equal(n.netns, path.join(dir, 'netns'));
      assert.deepEqual(n.hostfwd, ['tcp::8080-:80']);
      const pasta = n.before![1].args;
      assert.deepEqual(pasta.slice(pasta.indexOf('--tcp-ports'), pasta.indexOf('--tcp-ports') + 2), ['--tcp-ports', '127.0.0.1/8080:8080']);
      assert.ok(pasta.includes('--no-map-gw'));
      assert.match(n.describe, /host loopback not reachable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('hostLoopback: plain QEMU user networking, hostfwd on the host address', () => {
    const n = vmNetwork(ctx({ network: 'outbound', hostLoopback: true, ports: [port('8080:80')] }, '/nowhere'))!;
    assert.equal(n.netns, undefined);
    assert.deepEqual(n.hostfwd, ['tcp:127.0.0.1:8080-:80']);
    assert.deepEqual(n.ports, ['127.0.0.1:8080->80/tcp']);
  });
});
