import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderDoctor } from '../../../extension/commands/doctorMarkdown';

describe('renderDoctor', () => {
  test('a table row per level and the fix of each missing level in a shell block', () => {
    const md = renderDoctor({
      levels: [
        { isolation: 'container', runtime: 'runc', version: '1.1.5', support: { ok: true } },
        { isolation: 'gvisor', runtime: 'runsc', support: { ok: false, reason: 'runsc not found', fix: 'apt-get install runsc' } },
      ],
      checks: [{ name: 'kvm', ok: false, detail: 'no vmx/svm', fix: 'use TCG' }],
      facts: {},
    });
    assert.match(md, /\| container \| runc 1\.1\.5 \| yes \|/);
    assert.match(md, /\| gvisor \| runsc \| \*\*no\*\* \| runsc not found \|/);
    assert.match(md, /### gvisor \(runsc\)\n\nrunsc not found\n\n```sh\napt-get install runsc\n```/);
    assert.match(md, /✗ \*\*kvm\*\*: no vmx\/svm/);
  });

  test('a failing runtime of a level another runtime serves is optional, not missing', () => {
    const md = renderDoctor({
      levels: [
        { isolation: 'microvm', runtime: 'firecracker', support: { ok: false, reason: 'not installed', fix: 'install firecracker' } },
        { isolation: 'microvm', runtime: 'qemu', support: { ok: true } },
      ],
      checks: [],
      facts: {},
    });
    assert.doesNotMatch(md, /How to enable the missing levels/);
    assert.match(md, /## Optional runtimes\n\n### microvm \(firecracker\)/);
  });

  test('no fix section when every level runs', () => {
    const md = renderDoctor({ levels: [{ isolation: 'isolate', runtime: 'workerd', support: { ok: true } }], checks: [], facts: {} });
    assert.doesNotMatch(md, /How to enable/);
  });
});
