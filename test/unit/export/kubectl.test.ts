// kubectl parses every exported file offline. `kubectl create --dry-run=client` still asks the
// API server for discovery (it fails with "connection refused" when there is none), so the
// offline parse is `kubectl annotate --local -f FILE -o json`: kubectl's own YAML decoding of
// every document, no server contacted. kubectl comes from the host (Debian's kubernetes-client
// via `npm run setup` where none is installed).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { renderKubernetes } from '../../../engine/export/render';
import type { SandboxSpec } from '../../../engine/spec/types';
import { LEVELS, exampleSpecs, featureSpecs, goldenSpec, loadClean } from './fixtures';

let dir = '';
const MARK = 'isolation-spectrum.dev/parsed';

function kubectlParse(file: string): { status: number | null; objects: Record<string, unknown>[]; stderr: string } {
  // A kubeconfig that does not exist: nothing can reach a cluster even by mistake.
  const env = { ...process.env, KUBECONFIG: path.join(dir, 'no-kubeconfig') };
  const r = spawnSync('kubectl', ['annotate', '--local', '-f', file, '-o', 'json', `${MARK}=yes`], { encoding: 'utf8', env, timeout: 60_000 });
  if (r.error) throw new Error(`kubectl could not run (${r.error.message}): install it with npm run setup (Debian package kubernetes-client)`);
  if (r.status !== 0) return { status: r.status, objects: [], stderr: r.stderr };
  // One pretty-printed JSON object per document, back to back.
  const objects = JSON.parse(`[${r.stdout.trim().replace(/\n}\n{/g, '\n},\n{')}]`) as Record<string, unknown>[];
  return { status: r.status, objects, stderr: r.stderr };
}

async function checkFile(name: string, text: string): Promise<void> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  const expected = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown> | null).filter((d) => d !== null);
  const r = kubectlParse(file);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.objects.length, expected.length, `kubectl read every document of ${name}`);
  r.objects.forEach((o, i) => {
    const meta = o.metadata as { annotations: Record<string, string> };
    assert.equal(meta.annotations[MARK], 'yes');
    delete meta.annotations[MARK];
    if (!Object.keys(meta.annotations).length) delete (meta as { annotations?: unknown }).annotations;
    assert.deepEqual(o, expected[i], `kubectl read ${name} document ${i} as written`);
  });
}

async function checkExport(label: string, specs: SandboxSpec[], source: string): Promise<void> {
  const r = renderKubernetes(specs, source);
  assert.equal(r.refused, false);
  await checkFile(`${label}.k8s.yaml`, r.workloads);
  if (r.runtimeClasses.includes('kind:')) await checkFile(`${label}.runtimeclasses.yaml`, r.runtimeClasses);
}

describe('kubectl parses every exported file offline', () => {
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'spectrum-kubectl-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const level of LEVELS) test(level, async () => checkExport(level, await loadClean(goldenSpec(level)), goldenSpec(level)));
  for (const file of exampleSpecs) test(path.basename(file), async () => checkExport(path.basename(file, '.sandbox.yaml'), await loadClean(file), file));
  test('features', async () => checkExport('features', featureSpecs(), 'features.sandbox.yaml'));

  test('kubectl does refuse a broken file (the check can fail)', async () => {
    const file = path.join(dir, 'broken.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\nspec: [\n');
    const r = kubectlParse(file);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /error/i);
  });
});
