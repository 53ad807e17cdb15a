import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildOciConfig } from '../../../engine/oci/config';
import { defaultSeccomp } from '../../../engine/oci/seccomp';
import { spec } from './helpers';

describe('OCI config secure defaults', () => {
  const c = buildOciConfig(spec({ env: { GREETING: 'hi' } }), { rootfs: '/r' });

  test('read-only root, no capabilities, noNewPrivileges', () => {
    assert.deepEqual(c.root, { path: '/r', readonly: true });
    for (const set of Object.values(c.process.capabilities)) assert.deepEqual(set, []);
    assert.equal(c.process.noNewPrivileges, true);
    assert.ok(c.process.env.includes('GREETING=hi'));
    assert.deepEqual(c.process.args, ['/bin/sh', '-c', 'echo hi']);
  });

  test('own namespaces including network, and masked paths', () => {
    const types = c.linux.namespaces.map((n) => n.type).sort();
    assert.deepEqual(types, ['cgroup', 'ipc', 'mount', 'network', 'pid', 'uts']);
    assert.ok((c.linux.maskedPaths as string[]).includes('/proc/kcore'));
    assert.ok((c.linux.readonlyPaths as string[]).includes('/proc/sys'));
  });

  test('network host drops the network namespace', () => {
    const h = buildOciConfig(spec({ network: 'host' }), { rootfs: '/r' });
    assert.ok(!h.linux.namespaces.some((n) => n.type === 'network'));
  });

  test('resources become cgroup limits', () => {
    const r = buildOciConfig(spec({ resources: { cpus: 0.5, memoryBytes: 128 * 1024 * 1024, pids: 64 } }), { rootfs: '/r' });
    assert.deepEqual((r.linux.resources as Record<string, unknown>).memory, { limit: 134217728, swap: 134217728 });
    assert.deepEqual((r.linux.resources as Record<string, unknown>).pids, { limit: 64 });
    assert.deepEqual((r.linux.resources as Record<string, unknown>).cpu, { quota: 50000, period: 100000 });
  });

  test('mounts are read-only binds unless writable', () => {
    const m = buildOciConfig(spec({ mounts: [{ source: '/a', target: '/data', writable: false }, { source: '/b', target: '/out', writable: true }] }), { rootfs: '/r' });
    const data = m.mounts.find((x) => x.destination === '/data')!;
    const outm = m.mounts.find((x) => x.destination === '/out')!;
    assert.ok(data.options!.includes('ro') && !data.options!.includes('rw'));
    assert.ok(outm.options!.includes('rw'));
    assert.equal(data.type, 'bind');
  });

  test('rootless maps root to the caller in a user namespace', () => {
    const r = buildOciConfig(spec(), { rootfs: '/r', rootless: { uid: 1000, gid: 1000 } });
    assert.ok(r.linux.namespaces.some((n) => n.type === 'user'));
    assert.deepEqual(r.linux.uidMappings, [{ containerID: 0, hostID: 1000, size: 1 }]);
  });
});

describe('default seccomp profile', () => {
  const p = defaultSeccomp();
  const denied = new Set(p.syscalls.filter((s) => s.action === 'SCMP_ACT_ERRNO' && !s.args).flatMap((s) => s.names));
  test('denies what Docker denies: mounts, ptrace, modules, namespaces, bpf, reboot', () => {
    for (const s of ['mount', 'umount2', 'ptrace', 'init_module', 'unshare', 'setns', 'bpf', 'reboot', 'kexec_load', 'keyctl']) assert.ok(denied.has(s), s);
  });
  test('clone with a namespace flag is denied, plain clone is not', () => {
    const cloneRules = p.syscalls.filter((s) => s.names.includes('clone'));
    assert.ok(cloneRules.length >= 7);
    for (const r of cloneRules) assert.equal(r.args![0].op, 'SCMP_CMP_MASKED_EQ');
    assert.ok(cloneRules.some((r) => r.args![0].value === 0x20000000)); // CLONE_NEWPID
    assert.equal(p.defaultAction, 'SCMP_ACT_ALLOW');
  });
});
