// What has no Kubernetes equivalent is refused or warned with its reason, never dropped silently.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toKubernetes } from '../../../engine/export/kubernetes';
import { loadSpecText } from '../../../engine/spec/load';
import type { SandboxSpec } from '../../../engine/spec/types';
import { featureSpecs } from './fixtures';

function specs(text: string): SandboxSpec[] {
  const { sandboxes, diagnostics } = loadSpecText(text, '/specs/p.sandbox.yaml');
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), [], 'the spec itself is valid');
  return sandboxes;
}
const codes = (text: string, severity: 'error' | 'warning') => toKubernetes(specs(text)).problems.filter((p) => p.severity === severity).map((p) => p.code);

describe('export problems', () => {
  test('refused: isolate, host paths, local images, devices, gpu: all, host network', () => {
    assert.deepEqual(codes('name: e\nisolation: isolate\nworker: ./w.js\n', 'error'), ['k8s-isolate']);
    assert.deepEqual(codes('name: m\nisolation: container\nimage: busybox\nmounts: [{ source: ./data, target: /data }]\n', 'error'), ['k8s-mounts']);
    assert.deepEqual(codes('name: d\nisolation: container\nimage: ./rootfs\n', 'error'), ['k8s-local-image']);
    assert.deepEqual(codes('name: o\nisolation: container\nimage: oci-layout:./layout:v1\n', 'error'), ['k8s-local-image']);
    assert.deepEqual(codes('name: v\nisolation: vm\nimage: busybox\ndevices: ["0000:01:00.0"]\n', 'error'), ['k8s-devices']);
    assert.deepEqual(codes('name: g\nisolation: gvisor\nimage: alpine:3.20\ngpu: all\n', 'error'), ['k8s-gpu-all']);
    assert.deepEqual(codes('name: h\nisolation: container\nimage: alpine:3.20\nnetwork: host\n', 'error'), ['k8s-host-network']);
  });

  test('a refused sandbox is left out, its reason kept; the others still export', () => {
    const r = toKubernetes(specs('name: e\nisolation: isolate\nworker: ./w.js\n---\nname: ok\nisolation: gvisor\nimage: alpine:3.20\n'));
    assert.deepEqual(r.workloads.map((w) => `${String(w.kind)}/${String((w.metadata as { name: string }).name)}`), ['Pod/ok', 'NetworkPolicy/ok-network']);
    assert.match(r.problems[0].message, /V8 isolates/);
    assert.equal(r.problems[0].sandbox, 'e');
  });

  test('warned: busybox, kernel, gpu indexes, pids, gvisor platform, vmm, wildcard port, hostLoopback, odd name', () => {
    assert.deepEqual(codes('name: k\nisolation: vm\nimage: busybox\nkernel: /boot/vmlinuz\ngpu: [0, 1]\nresources: { pids: 10 }\n', 'warning'), ['k8s-busybox', 'k8s-gpu', 'k8s-kernel', 'k8s-pids']);
    assert.deepEqual(codes('name: f\nisolation: microvm\nimage: busybox\nmicrovm: { vmm: qemu }\nresources: { memory: 256Mi }\n', 'warning'), ['k8s-busybox', 'k8s-vmm']);
    assert.deepEqual(toKubernetes(featureSpecs()).problems.map((p) => p.code), ['k8s-host-loopback', 'k8s-gvisor-platform', 'k8s-port-wildcard', 'k8s-name']);
  });

  test('what is warned about is either mapped or named in the warning', () => {
    const r = toKubernetes(specs('name: k\nisolation: vm\nimage: busybox\ngpu: [0, 1]\n'));
    const pod = r.workloads[0] as { kind: string; spec: { containers: { resources: { limits: Record<string, unknown> } }[] } };
    assert.equal(pod.kind, 'Pod');
    assert.equal(pod.spec.containers[0].resources.limits['nvidia.com/gpu'], 2);
  });

  test('network none denies all traffic; outbound allows egress; ports open ingress on them only', () => {
    const r = toKubernetes([...specs('name: n\nisolation: container\nimage: alpine:3.20\n'), ...featureSpecs()]);
    const pols = r.workloads.filter((w) => w.kind === 'NetworkPolicy').map((w) => w.spec as Record<string, unknown>);
    assert.deepEqual([pols[0].ingress, pols[0].egress], [[], []]);
    assert.deepEqual(pols[1].egress, [{}]);
    assert.deepEqual(pols[1].ingress, [{ ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'UDP', port: 53 }] }]);
  });

  test('Pod for what serves or has no command, Job for a one-shot command; secure defaults on both', () => {
    const r = toKubernetes(specs('name: a\nisolation: container\nimage: alpine:3.20\n---\nname: b\nisolation: gvisor\nimage: alpine:3.20\ncommand: [/bin/true]\ntimeout: 1500ms\n'));
    const [pod, , job] = r.workloads as { kind: string; spec: Record<string, any> }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(pod.kind, 'Pod');
    assert.equal(job.kind, 'Job');
    assert.equal(job.spec.backoffLimit, 0);
    for (const p of [pod.spec, job.spec.template.spec]) {
      assert.equal(p.automountServiceAccountToken, false);
      assert.deepEqual(p.securityContext.seccompProfile, { type: 'RuntimeDefault' });
      assert.equal(p.securityContext.runAsNonRoot, true);
      assert.deepEqual(p.containers[0].securityContext, { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
    assert.equal(pod.spec.runtimeClassName, undefined, 'container runs on the default runtime');
    assert.equal(job.spec.template.spec.runtimeClassName, 'gvisor');
    assert.equal(job.spec.template.spec.activeDeadlineSeconds, 2, 'timeouts round up to whole seconds');
    assert.deepEqual(r.runtimeClasses.map((c) => (c.metadata as { name: string }).name), ['gvisor']);
  });
});
