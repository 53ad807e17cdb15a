// Export, then read the Pod back into the spec model: image, command, env, resources and the
// level survive (the level through runtimeClassName, which is what a cluster enforces).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { specFromPod } from '../../../engine/export/from-pod';
import { renderKubernetes } from '../../../engine/export/render';
import { BUSYBOX_IMAGE } from '../../../engine/export/problems';
import type { SandboxSpec } from '../../../engine/spec/types';
import { LEVELS, exampleSpecs, featureSpecs, goldenSpec, loadClean } from './fixtures';

function roundTrip(specs: SandboxSpec[], names = {}): void {
  const r = renderKubernetes(specs, 'x.sandbox.yaml', { runtimeClasses: names });
  // Through the YAML text, as a cluster (or a person) would read it.
  const workloads = parseAllDocuments(r.workloads).map((d) => d.toJS() as Record<string, unknown>).filter((d) => d.kind === 'Pod' || d.kind === 'Job');
  assert.equal(workloads.length, specs.length);
  specs.forEach((s, i) => {
    const back = specFromPod(workloads[i], names);
    assert.equal(back.isolation, s.isolation);
    assert.equal(back.image, s.image === 'busybox' ? BUSYBOX_IMAGE : s.image);
    assert.deepEqual(back.command, s.command);
    assert.deepEqual(back.entrypoint, s.entrypoint);
    assert.deepEqual(back.env, s.env);
    const { pids: _pids, ...kept } = s.resources;
    assert.deepEqual(back.resources, kept);
  });
}

describe('round trip: spec -> Pod -> spec', () => {
  for (const level of LEVELS) test(level, async () => roundTrip(await loadClean(goldenSpec(level))));
  for (const file of exampleSpecs) test(file.split('/').pop() ?? file, async () => roundTrip(await loadClean(file)));
  test('features', () => roundTrip(featureSpecs()));
  test('with the cluster\'s own RuntimeClass names', async () => {
    const specs = [...(await loadClean(goldenSpec('gvisor'))), ...(await loadClean(goldenSpec('microvm')))];
    roundTrip(specs, { gvisor: 'gvisor-systrap', microvm: 'kata-clh' });
  });
  test('a RuntimeClass of no level is an error, not a guess', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { runtimeClassName: 'wasmtime', containers: [{ name: 'x', image: 'a' }] } };
    assert.throws(() => specFromPod(pod), /wasmtime maps to no isolation level/);
  });
});
