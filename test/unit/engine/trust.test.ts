// The smaller holes of issue 12, each closed where it was: process identity, spec privileges,
// default limits, and what a VM config or a VMM can inject.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { bootId, isOurProcess, refOf } from '../../../engine/state/identity';
import { specPrivileges, requireConsent, sensitiveWrite } from '../../../engine/lifecycle/consent';
import { DEFAULT_LIMITS, withDefaultLimits } from '../../../engine/spec/defaults';
import { buildOciConfig } from '../../../engine/oci/config';
import { buildQemuArgs, type QemuPlan } from '../../../engine/vm/qemu-args';
import { validateFirecrackerConfig } from '../../../engine/vm/firecracker-config';
import { renderInit } from '../../../engine/vm/init-script';
import { releaseFromVersion, releaseFromVmlinux } from '../../../engine/vm/bzimage';
import { tailFile } from '../../../engine/vm/console-tail';
import { qmpCommand } from '../../../engine/lifecycle/qmp';
import { QmpClient } from '../../../engine/vm/qmp';
import { spec } from './helpers';
import { PrivilegeError } from '../../../engine/oci/privileges';
import { EngineError } from '../../../engine/errors';
import { privilegesOf } from '../../../extension/privilegeLines';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'spectrum-trust-'));

describe('process identity', () => {
  test('only a live process with the recorded start time and boot matches', () => {
    const me = refOf(process.pid);
    assert.equal(isOurProcess(me), true);
    assert.equal(isOurProcess({ ...me, start: (me.start ?? 0) + 1 }), false, 'a reused pid (other start time)');
    assert.equal(isOurProcess({ ...me, boot: '00000000-0000-0000-0000-000000000000' }), false, 'a pid from another boot');
    assert.equal(isOurProcess({ pid: process.pid }), false, 'a bare pid proves nothing');
    assert.equal(isOurProcess({ ...me, pid: 999_999_999 }), false);
    assert.match(bootId(), /^[0-9a-f-]{36}$/);
  });
});

describe('spec privileges', () => {
  const home = '/home/someone';
  const m = (source: string, writable = true) => ({ source, target: '/x', writable });
  test('writable mounts of sensitive host paths are named; project folders are not', () => {
    for (const p of ['/', '/etc', '/etc/ssh', '/proc', '/sys/kernel', '/dev', '/var/run/docker.sock', '/var', home, '/home']) {
      assert.ok(sensitiveWrite(p, home), `${p} should be sensitive`);
    }
    for (const p of [`${home}/project`, '/srv/data', '/opt/x']) assert.equal(sensitiveWrite(p, home), undefined, p);
    assert.deepEqual(specPrivileges(spec({ mounts: [m('/etc', false), m(`${home}/project`)] }), home), []);
    const p = specPrivileges(spec({ mounts: [m('/'), m('/etc')], network: 'host' }), home);
    assert.equal(p.length, 3);
    assert.match(p[0], /writable mount of the whole host file system at \/x/);
    assert.match(p[2], /network: host/);
  });

  test('a Firecracker drive outside the config folder is named', () => {
    const dir = tmp();
    try {
      const file = path.join(dir, 'vm_config.json');
      writeFileSync(file, JSON.stringify({ 'boot-source': { kernel_image_path: 'k' }, drives: [{ drive_id: 'rootfs', path_on_host: 'root.ext4', is_root_device: true }, { drive_id: 'disk', path_on_host: '/dev/sda', is_root_device: false }] }));
      const p = specPrivileges(spec({ isolation: 'microvm', firecrackerConfig: file }));
      assert.equal(p.length, 1);
      assert.match(p[0], /Firecracker drive disk uses \/dev\/sda \(writable\), outside the config's folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('requireConsent throws a PrivilegeError listing each, unless confirmed', () => {
    const s = spec({ network: 'host' });
    assert.throws(() => requireConsent([s], false), (e: Error & { privileges?: string[] }) => e.name === 'PrivilegeError' && e.privileges?.length === 1 && /--unsafe/.test((e as { fix?: string }).fix ?? ''));
    assert.doesNotThrow(() => requireConsent([s], true));
    assert.doesNotThrow(() => requireConsent([spec()], false));
  });
});

describe('the extension side of consent', () => {
  test('a privilege refusal is recognised with each line; other errors are not', () => {
    assert.deepEqual(privilegesOf(new PrivilegeError('b', ['hook x', 'network: host'])), ['hook x', 'network: host']);
    assert.equal(privilegesOf(new EngineError('nope')), undefined);
    assert.equal(privilegesOf('PrivilegeError'), undefined);
  });

  test('tearDownOnClose is not a workspace setting', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { scope?: string }> } } };
    assert.ok(['machine', 'application'].includes(pkg.contributes.configuration.properties['isolationSpectrum.tearDownOnClose'].scope ?? 'window'));
  });
});

describe('default limits', () => {
  test('containers and gVisor get pids, memory and CPU limits unless the spec sets its own', () => {
    const d = withDefaultLimits(spec(), true);
    assert.deepEqual(d.spec.resources, DEFAULT_LIMITS.container);
    const cfg = buildOciConfig(d.spec, { rootfs: '/r' });
    const r = cfg.linux.resources as { pids?: { limit: number }; memory?: { limit: number }; cpu?: { quota: number } };
    assert.equal(r.pids?.limit, 512);
    assert.equal(r.memory?.limit, 512 * 1024 * 1024);
    assert.equal(r.cpu?.quota, 100_000);
    const own = withDefaultLimits(spec({ resources: { pids: 64 } }), true);
    assert.equal(own.spec.resources.pids, 64);
    assert.equal(own.spec.resources.memoryBytes, DEFAULT_LIMITS.container!.memoryBytes);
    assert.ok(withDefaultLimits(spec({ isolation: 'gvisor' }), true).spec.resources.pids);
    assert.deepEqual(withDefaultLimits(spec({ isolation: 'microvm' }), true).spec.resources, {});
  });

  test('without root the defaults are left out and the launch says so', () => {
    const d = withDefaultLimits(spec(), false);
    assert.deepEqual(d.spec.resources, {});
    assert.match(d.warning ?? '', /rootless cgroups can't apply the default pids, memory, cpus limits/);
    assert.equal(withDefaultLimits(spec({ resources: { pids: 1, memoryBytes: 1, cpus: 1 } }), false).warning, undefined);
  });
});

describe('VM inputs', () => {
  const plan = (mac: string): QemuPlan => ({ machine: 'microvm', accel: 'tcg', kernel: '/k', append: [], cpus: 1, memoryMiB: 128, drives: [], shares: [], network: 'outbound', mac, serial: { kind: 'stdio' }, vfio: [] });
  test('a guest MAC that would add QEMU options is refused, in the config and in the args', () => {
    assert.throws(() => buildQemuArgs(plan('02:00:00:00:00:01,romfile=/etc/shadow')), /guest MAC/);
    assert.ok(buildQemuArgs(plan('02:00:00:00:00:01')).includes('virtio-net-device,netdev=net0,mac=02:00:00:00:00:01'));
    const problems = validateFirecrackerConfig({ 'boot-source': { kernel_image_path: 'k' }, 'network-interfaces': [{ iface_id: 'eth0', host_dev_name: 'tap0', guest_mac: '06:00:00:00:00:01,x=y' }] });
    assert.ok(problems.some((p) => p.path === 'network-interfaces[0].guest_mac'), JSON.stringify(problems));
  });

  test('mount targets and drive names in /init are quoted: a hostile one runs nothing', () => {
    const dir = tmp();
    try {
      const marker = path.join(dir, 'pwned');
      const evil = `/x"; touch ${marker}; echo "`;
      const base = { nonce: 'a'.repeat(24), command: ['/bin/true'], env: {}, modules: [], shares: [], network: 'none' as const };
      assert.throws(() => renderInit({ ...base, drives: [{ serial: `d$(touch ${marker})`, mountAt: '/mnt/d', readOnly: true }] }), /drive id must be a simple name/);
      const init = renderInit({ ...base, drives: [{ serial: 'd1', mountAt: `/mnt/${evil}`, readOnly: true, optional: false }], shares: [{ tag: 'm0', target: evil, readOnly: true }] });
      const lines = init.split('\n').filter((l) => l.includes('mount -t 9p') || l.includes('disk '));
      // Run those lines for real, with the guest's commands stubbed to fail so every error path runs.
      const script = ['fail() { echo "fail: $*"; }', 'disk() { echo /dev/vda; }', 'mkdir() { return 0; }', 'mount() { return 1; }', ...lines.filter((l) => !l.startsWith('disk()'))].join('\n');
      const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
      assert.equal(existsSync(marker), false, r.stdout + r.stderr);
      assert.match(r.stdout, /fail: cannot mount share \/x"; touch/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a kernel release is a plain name, never a path', () => {
    assert.equal(releaseFromVersion('6.1.0-27-amd64 (debian-kernel@lists.debian.org) #1'), '6.1.0-27-amd64');
    assert.equal(releaseFromVersion('../../../../etc #1'), undefined);
    assert.equal(releaseFromVmlinux(Buffer.from('xx Linux version 6.1/../../x (gcc) yy')), undefined);
    assert.equal(releaseFromVmlinux(Buffer.from('xx Linux version 6.1.0-27-amd64 (gcc) yy')), '6.1.0-27-amd64');
  });

  test('the console log is emptied once read past its cap', async () => {
    const dir = tmp();
    try {
      const file = path.join(dir, 'console.log');
      writeFileSync(file, '');
      let seen = 0;
      const tail = tailFile(file, (b) => (seen += b.length), 5, 4096);
      for (let i = 0; i < 50; i++) {
        appendFileSync(file, 'y\n'.repeat(512));
        await new Promise((r) => setTimeout(r, 8));
      }
      await new Promise((r) => setTimeout(r, 30));
      tail.stop();
      assert.equal(seen, 50 * 1024, 'every byte was read');
      assert.ok(statSync(file).size <= 4096 + 1024, `console.log is ${statSync(file).size} bytes`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('QMP clients against a hostile VMM', () => {
  async function server(reply: (s: net.Socket) => void): Promise<{ socket: string; close: () => void; dir: string }> {
    const dir = tmp();
    const socket = path.join(dir, 'q.sock');
    const srv = net.createServer((c) => {
      c.on('error', () => undefined); // the client hangs up on it: that is the point
      reply(c);
    });
    await new Promise<void>((r) => srv.listen(socket, r));
    return { socket, dir, close: () => (srv.close(), rmSync(dir, { recursive: true, force: true })) };
  }

  test('a non-JSON line is an error of the command, not a crash', async () => {
    const s = await server((c) => c.write('this is not json\n'));
    try {
      await assert.rejects(qmpCommand(s.socket, 'quit', 2000), /not JSON/);
    } finally {
      s.close();
    }
  });

  test('a line that never ends is cut off, not buffered forever', async () => {
    const big = 'x'.repeat(256 * 1024);
    const s = await server((c) => {
      for (let i = 0; i < 8; i++) c.write(big);
    });
    try {
      await assert.rejects(qmpCommand(s.socket, 'quit', 5000), /over \d+ bytes/);
      await assert.rejects(QmpClient.connect(s.socket, 5000), /over \d+ bytes|closed|greeting/);
    } finally {
      s.close();
    }
  });
});
