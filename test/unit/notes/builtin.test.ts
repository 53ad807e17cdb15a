import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workspace } from './helpers';

// Every topic the built-in notes must cover, by one of the names a reader would use.
const TOPICS = [
  'isolation spectrum', 'isolation trade-offs', 'virtualisation', 'virtualization', 'hypervisor', 'type 1 hypervisor',
  'type 2 hypervisor', 'V8 isolate', 'workerd', 'container', 'namespaces', 'cgroups', 'runc', 'Docker', 'gVisor', 'Sentry',
  'runsc', 'Gofer', 'gVisor platform', 'gVisor overhead', 'NVProxy', 'Firecracker', 'microVM', 'KVM', 'KVM attack surface',
  'seccomp', 'jailer', 'QEMU', 'device model', 'virtio', 'PCI passthrough', 'VFIO', 'IOMMU', 'Vagrant', 'VirtualBox',
];

test('built-in notes define every listed concept, with opening lines', () => {
  const { service } = workspace({});
  for (const topic of TOPICS) {
    const def = service.index.resolve(topic);
    assert.ok(def, `no built-in concept for "${topic}"`);
    assert.ok(def.file.builtin);
    assert.ok(def.heading.summary.length > 20, `"${topic}" has no opening lines`);
  }
});

test('built-in notes have no broken links', () => {
  const { service } = workspace({});
  for (const def of service.index.concepts()) {
    for (const link of def.file.links) {
      assert.ok(service.index.resolveLink(def.file.uri, link).def, `${def.file.uri}: [[${link.target}]] is broken`);
    }
  }
});
