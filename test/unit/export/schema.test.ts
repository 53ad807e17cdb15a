// Every export validated against the Kubernetes OpenAPI schemas of a pinned Kubernetes version:
// kubernetes-models 5.1.0 (exact in package.json); its 5.x schemas come from Kubernetes v1.36.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toKubernetes, type Manifest } from '../../../engine/export/kubernetes';
import type { SandboxSpec } from '../../../engine/spec/types';
import { LEVELS, exampleSpecs, featureSpecs, goldenSpec, loadClean } from './fixtures';

interface Model {
  validate(): void;
}
type ModelClass = new (data: never) => Model;

// The package is ESM-only; a dynamic import keeps these CommonJS-compiled tests loading it.
const MODELS: Record<string, () => Promise<ModelClass>> = {
  'v1/Pod': async () => (await import('kubernetes-models/v1/Pod')).Pod as unknown as ModelClass,
  'v1/Service': async () => (await import('kubernetes-models/v1/Service')).Service as unknown as ModelClass,
  'batch/v1/Job': async () => (await import('kubernetes-models/batch/v1/Job')).Job as unknown as ModelClass,
  'networking.k8s.io/v1/NetworkPolicy': async () => (await import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy')).NetworkPolicy as unknown as ModelClass,
  'node.k8s.io/v1/RuntimeClass': async () => (await import('kubernetes-models/node.k8s.io/v1/RuntimeClass')).RuntimeClass as unknown as ModelClass,
};

async function validate(m: Manifest): Promise<void> {
  const key = `${String(m.apiVersion)}/${String(m.kind)}`;
  const load = MODELS[key];
  assert.ok(load, `a schema for ${key}`);
  const Model = await load();
  new Model(structuredClone(m) as never).validate();
}

async function validateAll(specs: SandboxSpec[]): Promise<number> {
  const r = toKubernetes(specs, { runtimeClasses: { container: 'runc' } });
  assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), []);
  const docs = [...r.workloads, ...r.runtimeClasses];
  for (const d of docs) await validate(d);
  return docs.length;
}

describe('exports validate against the Kubernetes OpenAPI schemas', () => {
  for (const level of LEVELS) {
    test(`golden ${level}`, async () => {
      assert.ok((await validateAll(await loadClean(goldenSpec(level)))) >= 2);
    });
  }
  for (const file of exampleSpecs) {
    test(`example ${file.split('/').pop()}`, async () => {
      assert.ok((await validateAll(await loadClean(file))) >= 2);
    });
  }
  test('every mapped feature: ports on tcp and udp, outbound, entrypoint, digest image, odd name', async () => {
    // Pod + NetworkPolicy + Service + the gvisor RuntimeClass.
    assert.equal(await validateAll(featureSpecs()), 4);
  });

  test('the validator does reject a malformed manifest (the check can fail)', async () => {
    const [pod] = toKubernetes(featureSpecs()).workloads;
    const bad = structuredClone(pod) as { spec: { containers: { securityContext: Record<string, unknown> }[] } };
    bad.spec.containers[0].securityContext.runAsNonRoot = 'yes';
    await assert.rejects(validate(bad as unknown as Manifest), /runAsNonRoot must be boolean/);
    const noImageName = structuredClone(pod) as { spec: { containers: Record<string, unknown>[] } };
    delete noImageName.spec.containers[0].name;
    await assert.rejects(validate(noImageName as unknown as Manifest), /name/);
  });
});
