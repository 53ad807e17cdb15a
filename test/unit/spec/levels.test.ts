import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkSpecText } from '../../../engine/spec/check';
import { LEVEL_FIELDS, roleOf } from '../../../engine/spec/levels';
import { moveEdits } from '../../../engine/spec/move';
import { SANDBOX_SCHEMA } from '../../../engine/spec/check';
import { ISOLATION_LEVELS } from '../../../engine/spec/types';
import { applyEdits } from './edits';

const FULL = `name: full # keep me
isolation: container
image: busybox
command: [/bin/sh, -c, "uname -a"]
env: { A: b }
mounts: [{ source: ./data, target: /data }]
resources: { cpus: 1, memory: 32Mi, pids: 64 }
network: none
readonly: true
timeout: 30s
container: { runtime: runc }
gpu: [0]
`;

describe('level mapping table', () => {
  test('covers every schema field for every level', () => {
    assert.deepEqual(Object.keys(LEVEL_FIELDS).sort(), Object.keys(SANDBOX_SCHEMA.properties ?? {}).sort());
    for (const row of Object.values(LEVEL_FIELDS)) assert.deepEqual(Object.keys(row).sort(), [...ISOLATION_LEVELS].sort());
  });

  test('encodes the spectrum facts', () => {
    assert.equal(roleOf('worker', 'isolate'), 'needs');
    assert.equal(roleOf('command', 'isolate'), 'drops');
    assert.equal(roleOf('gpu', 'microvm'), 'drops');
    assert.equal(roleOf('gpu', 'vm'), 'keeps');
    assert.equal(roleOf('devices', 'vm'), 'keeps');
    assert.equal(roleOf('kernel', 'gvisor'), 'drops');
    assert.equal(roleOf('image', 'microvm'), 'needs');
  });

  for (const to of ISOLATION_LEVELS) {
    test(`moving a full container spec to ${to} leaves a clean spec that keeps comments`, () => {
      const root = checkSpecText(FULL).checked[0].doc.root;
      const lines = checkSpecText(FULL).lines;
      const moved = applyEdits(FULL, moveEdits(root, lines, to));
      const after = checkSpecText(moved);
      assert.deepEqual(after.diagnostics.filter((d) => d.severity === 'error'), [], moved);
      assert.deepEqual(after.diagnostics, [], moved);
      assert.match(moved, new RegExp(`^name: full # keep me\\nisolation: ${to}\\n`));
      for (const [field, row] of Object.entries(LEVEL_FIELDS)) {
        const present = new RegExp(`^${field}:`, 'm').test(moved);
        if (row[to] === 'drops') assert.ok(!present, `${field} should be dropped for ${to}:\n${moved}`);
        else if (row[to] === 'needs') assert.ok(present, `${field} needed for ${to}:\n${moved}`);
        else if (new RegExp(`^${field}:`, 'm').test(FULL)) assert.ok(present, `${field} kept for ${to}`);
      }
    });
  }
});
