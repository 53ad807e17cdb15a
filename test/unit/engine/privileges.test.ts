import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bundlePrivileges } from '../../../engine/oci/privileges';
import { buildOciConfig } from '../../../engine/oci/config';
import { spec } from './helpers';

const NS = ['pid', 'network', 'ipc', 'uts', 'mount'].map((type) => ({ type }));

describe('bundle privileges', () => {
  test('the engine own config asks for nothing', () => {
    assert.deepEqual(bundlePrivileges(buildOciConfig(spec(), { rootfs: '/r' })), []);
  });
  test('runc spec defaults ask for nothing', () => {
    const c = { process: { capabilities: { bounding: ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'] } }, linux: { namespaces: NS } };
    assert.deepEqual(bundlePrivileges(c), []);
  });
  test('extra capabilities, host namespaces and writable host mounts are named', () => {
    const c = {
      process: { capabilities: { effective: ['CAP_SYS_ADMIN', 'CAP_KILL'] } },
      mounts: [{ destination: '/host', type: 'bind', source: '/', options: ['rbind'] }, { destination: '/ro', type: 'bind', source: '/etc', options: ['rbind', 'ro'] }],
      linux: { namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'network', path: '/proc/1/ns/net' }] },
    };
    const p = bundlePrivileges(c);
    assert.equal(p.length, 3);
    assert.match(p[0], /CAP_SYS_ADMIN/);
    assert.ok(p.some((x) => /network namespace/.test(x)));
    assert.ok(p.some((x) => /writable host mount \/ -> \/host/.test(x)));
  });
  test('a missing namespace means sharing the host one', () => {
    assert.ok(bundlePrivileges({ linux: { namespaces: [] } }).some((x) => /host's pid namespace/.test(x)));
  });
});
