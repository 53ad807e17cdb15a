// Golden files: the manifests a spec per level exports to, byte for byte. UPDATE_GOLDEN=1
// rewrites them after an intended change (review the diff).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderKubernetes } from '../../../engine/export/render';
import { GOLDEN_DIR, LEVELS, goldenSpec, loadClean } from './fixtures';

async function expectGolden(name: string, actual: string): Promise<void> {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') await writeFile(file, actual);
  assert.equal(actual, await readFile(file, 'utf8'), `${name} matches its golden file`);
}

describe('kubernetes export golden files', () => {
  for (const level of LEVELS) {
    test(level, async () => {
      const r = renderKubernetes(await loadClean(goldenSpec(level)), goldenSpec(level));
      assert.equal(r.refused, false);
      await expectGolden(`${level}.k8s.yaml`, r.workloads);
      await expectGolden(`${level}.runtimeclasses.yaml`, r.runtimeClasses);
    });
  }
});
