// Which levels a workload can run at for Compare Across Spectrum, and its spec at each.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { incompatibility, levelsInOrder, specAt } from '../../../engine/compare/plan';
import type { SandboxSpec } from '../../../engine/spec/types';

const base: SandboxSpec = {
  name: 'w', isolation: 'container', image: 'busybox', command: ['/bin/true'], env: {}, mounts: [], resources: { memoryBytes: 64 << 20 },
  network: 'none', readonly: true, container: { runtime: 'runc' }, gvisor: { platform: 'auto' }, kernel: 'auto', microvm: { vmm: 'auto' },
  devices: ['0000:01:00.0'], gpu: 'none', source: { file: '/w/w.sandbox.yaml', document: 0 }, ports: [{ hostAddress: '127.0.0.1', hostPort: 8080, sandboxPort: 80, protocol: 'tcp' }],
};

describe('compare plan', () => {
  test('an image workload runs everywhere but as an isolate; a worker only as an isolate', () => {
    assert.match(incompatibility(base, 'isolate') ?? '', /not a JS\/Wasm worker/);
    for (const l of ['container', 'gvisor', 'microvm', 'vm'] as const) assert.equal(incompatibility(base, l), undefined, l);
    const js = { ...base, isolation: 'isolate' as const, image: undefined, command: undefined, worker: '/w/a.js' };
    assert.equal(incompatibility(js, 'isolate'), undefined);
    assert.match(incompatibility(js, 'gvisor') ?? '', /without an image/);
  });

  test('each level gets its own name; guests get the memory they boot in; no ports, PCI devices only on vm', () => {
    const vm = specAt(base, 'microvm');
    assert.equal(vm.name, 'w-microvm');
    assert.equal(vm.isolation, 'microvm');
    assert.equal(vm.resources.memoryBytes, 256 << 20);
    assert.equal(specAt(base, 'container').resources.memoryBytes, 64 << 20);
    assert.equal(specAt(base, 'container').ports, undefined);
    assert.deepEqual(specAt(base, 'gvisor').devices, []);
    assert.deepEqual(specAt(base, 'vm').devices, ['0000:01:00.0']);
  });

  test('levels keep the spectrum order whatever order they are asked in', () => {
    assert.deepEqual(levelsInOrder(['vm', 'container', 'isolate']), ['isolate', 'container', 'vm']);
    assert.equal(levelsInOrder().length, 5);
  });
});
