import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundlePrivileges, finalWritable } from '../../../engine/oci/privileges';
import { buildOciConfig } from '../../../engine/oci/config';
import { spec } from './helpers';

/** A config that asks for nothing: the engine's own, as a bundle's (rootfs inside it). */
function safe(): Record<string, unknown> & { process: Record<string, unknown>; linux: Record<string, unknown>; mounts: Array<Record<string, unknown>> } {
  return JSON.parse(JSON.stringify(buildOciConfig(spec(), { rootfs: 'rootfs' })));
}

function withBundle<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-priv-'));
  try {
    mkdirSync(path.join(dir, 'rootfs'));
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('bundle privileges (allow-list)', () => {
  test('the engine own config asks for nothing', () => {
    withBundle((dir) => assert.deepEqual(bundlePrivileges(safe(), dir), []));
  });

  test('hooks of every kind are named with what they run', () => {
    const c = { ...safe(), hooks: { createRuntime: [{ path: '/bin/sh', args: ['sh', '-c', 'echo X > /tmp/file'] }], poststart: [{ path: '/usr/bin/true' }] } };
    const p = withBundle((dir) => bundlePrivileges(c, dir));
    assert.ok(p.some((x) => /createRuntime hook runs \/bin\/sh -c echo X > \/tmp\/file on the host/.test(x)), p.join('\n'));
    assert.ok(p.some((x) => /poststart hook runs \/usr\/bin\/true/.test(x)));
  });

  test('root.path outside the bundle, also through a symlink', () => {
    assert.ok(withBundle((dir) => bundlePrivileges({ ...safe(), root: { path: '/' } }, dir)).some((x) => /root file system outside the bundle \(\/\)/.test(x)));
    assert.ok(withBundle((dir) => bundlePrivileges({ ...safe(), root: { path: '../..' } }, dir)).some((x) => /outside the bundle/.test(x)));
    const viaLink = withBundle((dir) => {
      symlinkSync('/', path.join(dir, 'link'));
      return bundlePrivileges({ ...safe(), root: { path: 'link' } }, dir);
    });
    assert.ok(viaLink.some((x) => /outside the bundle/.test(x)));
  });

  test('device rules and created devices', () => {
    const c = safe();
    c.linux.resources = { devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 10, minor: 200, access: 'rwm' }] };
    c.linux.devices = [{ path: '/dev/net/tun', type: 'c', major: 10, minor: 200 }];
    const p = withBundle((dir) => bundlePrivileges(c, dir));
    assert.ok(p.some((x) => /device access rule allows c 10:200 rwm/.test(x)));
    assert.ok(p.some((x) => /creates device \/dev\/net\/tun/.test(x)));
  });

  test('a bind mount is judged by the final effect of its options', () => {
    assert.equal(finalWritable(['rbind', 'ro', 'rw']), true);
    assert.equal(finalWritable(['rbind', 'rw', 'ro']), false);
    assert.equal(finalWritable(['rbind']), true);
    const c = safe();
    c.mounts.push({ destination: '/host', type: 'bind', source: '/', options: ['rbind', 'ro', 'rw'] });
    assert.ok(withBundle((dir) => bundlePrivileges(c, dir)).some((x) => /writable host mount \/ -> \/host/.test(x)));
  });

  test('host paths outside the bundle are named even read-only; the bundle own files are fine', () => {
    const c = safe();
    c.mounts.push({ destination: '/etc-host', type: 'bind', source: '/etc', options: ['rbind', 'ro'] });
    c.mounts.push({ destination: '/data', type: 'none', source: 'data', options: ['rbind', 'rw'] });
    const p = withBundle((dir) => bundlePrivileges(c, dir));
    assert.deepEqual(p, ['read-only host mount /etc -> /etc-host']);
  });

  test('a host file system, a writable sysfs, shared propagation', () => {
    const c = safe();
    c.mounts.push({ destination: '/disk', type: 'ext4', source: '/dev/sda1' });
    c.mounts.push({ destination: '/sys2', type: 'sysfs', source: 'sysfs', options: ['nosuid'] });
    c.linux.rootfsPropagation = 'rshared';
    const p = withBundle((dir) => bundlePrivileges(c, dir));
    assert.ok(p.some((x) => /mounts a ext4 file system from \/dev\/sda1/.test(x)));
    assert.ok(p.some((x) => /writable sysfs mount at \/sys2/.test(x)));
    assert.ok(p.some((x) => /root propagation rshared/.test(x)));
  });

  test('missing seccomp, noNewPrivileges false, missing masked and read-only paths', () => {
    const c = safe();
    delete c.linux.seccomp;
    c.process.noNewPrivileges = false;
    c.linux.maskedPaths = ['/proc/kcore'];
    delete c.linux.readonlyPaths;
    const p = withBundle((dir) => bundlePrivileges(c, dir));
    assert.ok(p.includes('no seccomp profile'));
    assert.ok(p.some((x) => /noNewPrivileges is not set/.test(x)));
    assert.ok(p.some((x) => /does not mask \/proc\/keys, \/proc\/timer_list, \/sys\/firmware/.test(x)));
    assert.ok(p.some((x) => /does not make \/proc\/sys, .* read-only/.test(x)));
    const allowAll = safe();
    allowAll.linux.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [] };
    assert.ok(withBundle((dir) => bundlePrivileges(allowAll, dir)).some((x) => /allows every system call/.test(x)));
  });

  test('added capabilities, host and joined namespaces, sysctls', () => {
    const c = safe();
    c.process.capabilities = { effective: ['CAP_SYS_ADMIN', 'CAP_KILL'], bounding: ['CAP_SYS_ADMIN'] };
    c.linux.namespaces = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'network', path: '/proc/1/ns/net' }];
    c.linux.sysctl = { 'net.ipv4.ip_forward': '1' };
    const p = withBundle((dir) => bundlePrivileges(c, dir));
    assert.match(p[0], /^extra capabilities: CAP_SYS_ADMIN$/);
    assert.ok(p.some((x) => /joins an existing network namespace \(\/proc\/1\/ns\/net\)/.test(x)));
    assert.ok(p.some((x) => /sets sysctl net\.ipv4\.ip_forward=1/.test(x)));
    assert.ok(bundlePrivileges({ linux: { namespaces: [] } }).some((x) => /host's pid namespace/.test(x)));
  });

  test('root with capabilities and no user namespace; root mapped to host root', () => {
    const c = safe();
    c.process.capabilities = { effective: ['CAP_KILL'] };
    assert.ok(withBundle((dir) => bundlePrivileges(c, dir)).some((x) => /runs as host root \(uid 0, no user namespace\) with CAP_KILL/.test(x)));
    const mapped = safe();
    (mapped.linux.namespaces as Array<{ type: string }>).push({ type: 'user' });
    mapped.linux.uidMappings = [{ containerID: 0, hostID: 0, size: 65536 }];
    assert.ok(withBundle((dir) => bundlePrivileges(mapped, dir)).some((x) => /maps host root/.test(x)));
    const rootless = safe();
    (rootless.linux.namespaces as Array<{ type: string }>).push({ type: 'user' });
    rootless.linux.uidMappings = [{ containerID: 0, hostID: 1000, size: 1 }];
    rootless.process.capabilities = { effective: ['CAP_KILL'] };
    assert.deepEqual(withBundle((dir) => bundlePrivileges(rootless, dir)), []);
  });

  test('fields it does not know are privileges too', () => {
    const c = { ...safe(), vm: { hypervisor: { path: '/x' } } };
    c.linux.intelRdt = { closID: 'x' };
    c.linux.futureKnob = true;
    (c.process as Record<string, unknown>).futureField = 1;
    const p = withBundle((dir) => bundlePrivileges(c, dir));
    assert.ok(p.includes("unrecognised config field 'vm'"));
    assert.ok(p.includes("unrecognised field 'linux.futureKnob'"));
    assert.ok(p.includes("unrecognised field 'process.futureField'"));
  });

  test('the runc spec default bundle is not safe as is (root with capabilities, no seccomp)', () => {
    const runcDefault = {
      ociVersion: '1.0.2-dev',
      process: { terminal: true, user: { uid: 0, gid: 0 }, args: ['sh'], env: ['PATH=/bin'], cwd: '/', capabilities: { bounding: ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'] }, rlimits: [], noNewPrivileges: true },
      root: { path: 'rootfs', readonly: true },
      hostname: 'runc',
      mounts: [{ destination: '/proc', type: 'proc', source: 'proc' }, { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] }],
      linux: { resources: { devices: [{ allow: false, access: 'rwm' }] }, namespaces: ['pid', 'network', 'ipc', 'uts', 'mount', 'cgroup'].map((type) => ({ type })), maskedPaths: ['/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/sys/firmware', '/proc/scsi'], readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'] },
    };
    const p = withBundle((dir) => bundlePrivileges(runcDefault, dir));
    assert.deepEqual(p, ['runs as host root (uid 0, no user namespace) with CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE', 'no seccomp profile']);
  });
});
