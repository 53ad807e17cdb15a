// Shared builders for engine unit tests.
import type { SandboxSpec } from '../../../engine/spec/types';
import type { HostSnapshot } from '../../../engine/host/snapshot';
import { defaultSpec } from '../../../engine/spec/defaults';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function spec(over: Partial<SandboxSpec> = {}): SandboxSpec {
  return defaultSpec('demo', 'container', '/tmp/demo.sandbox.yaml', { image: 'busybox', command: ['/bin/sh', '-c', 'echo hi'], ...over });

}

export function fixture(name: string): string {
  return readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
}

export function snapshot(name: string): HostSnapshot {
  return JSON.parse(fixture(name)) as HostSnapshot;
}

export function host(over: Partial<HostSnapshot> = {}): HostSnapshot {
  return {
    collectedAt: '2026-01-01T00:00:00Z',
    collector: 'node',
    arch: 'x86_64',
    kernelRelease: '6.1.0',
    isRoot: true,
    uid: 0,
    binaries: {
      runc: { path: '/usr/sbin/runc', version: '1.1.5' },
      runsc: { path: '/usr/bin/runsc', version: '0.0~20221219.0' },
      busybox: { path: '/usr/bin/busybox' },
      workerd: { path: '/x/workerd', version: '2026-11-17' },
    },
    runsc: { platforms: ['ptrace', 'kvm'], nvproxy: false, ociSeccomp: true },
    ...over,
  };
}
