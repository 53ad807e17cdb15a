import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { createLanguageService } from '../../../language-server/service/index';
import { apply, doc } from './helpers';

const svc = createLanguageService();

async function fixFor(name: string, text: string, code: string, title: RegExp): Promise<string> {
  const d = doc(name, text);
  const diag = (await svc.diagnostics(d)).find((x) => x.code === code) as Diagnostic;
  assert.ok(diag, `no ${code}`);
  const actions = await svc.codeActions(d, diag.range, { diagnostics: [diag] });
  const a = actions.find((x) => x.kind === 'quickfix' && title.test(x.title)) as CodeAction;
  assert.ok(a, `no fix ${title} in ${actions.map((x) => x.title)}`);
  assert.equal(a.diagnostics?.[0].code, code);
  return apply(text, a.edit?.changes?.[d.uri] ?? []);
}

describe('quick fixes make the diagnostic go away', () => {
  test('GPU on microvm -> gvisor or vm', async () => {
    const text = 'name: g\nisolation: microvm\nimage: busybox\nmicrovm: { vmm: qemu }\ngpu: all\n';
    const toGvisor = await fixFor('a.sandbox.yaml', text, 'gpu-on-microvm', /gvisor/);
    assert.equal(toGvisor, 'name: g\nisolation: gvisor\nimage: busybox\ngpu: all\n');
    assert.deepEqual(await svc.diagnostics(doc('a.sandbox.yaml', toGvisor)), []);
    const toVm = await fixFor('a.sandbox.yaml', text, 'gpu-on-microvm', /level vm/);
    assert.deepEqual(await svc.diagnostics(doc('a.sandbox.yaml', toVm)), []);
  });

  test('command on isolate -> container', async () => {
    const text = 'name: e\nisolation: isolate\nworker: ./w.js\ncommand: [ls]\n';
    const fixed = await fixFor('a.sandbox.yaml', text, 'command-on-isolate', /container/);
    assert.deepEqual(await svc.diagnostics(doc('a.sandbox.yaml', fixed)), []);
  });

  test('a missing required key is added', async () => {
    const fixed = await fixFor('a.sandbox.yaml', 'isolation: isolate\nworker: ./w.js\n', 'missing-key', /name/);
    assert.match(fixed, /\nname: /);
    const fc = '{\n  "boot-source": { "kernel_image_path": "k" },\n  "drives": [],\n  "machine-config": { "vcpu_count": 1 }\n}';
    const fcFixed = await fixFor('vm.firecracker.json', fc, 'missing-key', /mem_size_mib/);
    assert.equal(fcFixed, '{\n  "boot-source": { "kernel_image_path": "k" },\n  "drives": [],\n  "machine-config": { "vcpu_count": 1, "mem_size_mib": 128 }\n}');
    assert.deepEqual(await svc.diagnostics(doc('vm.firecracker.json', fcFixed)), []);
  });

  test('ht_enabled -> smt, or removed when smt is set', async () => {
    const text = '{\n  "boot-source": { "kernel_image_path": "k" },\n  "drives": [],\n  "machine-config": { "vcpu_count": 2, "mem_size_mib": 128, "ht_enabled": true }\n}';
    const fixed = await fixFor('vm.firecracker.json', text, 'renamed-key', /smt/);
    assert.equal(fixed, text.replace('"ht_enabled"', '"smt"'));
    assert.deepEqual(await svc.diagnostics(doc('vm.firecracker.json', fixed)), []);
    const both = '{\n  "boot-source": { "kernel_image_path": "k" },\n  "drives": [],\n  "machine-config": {\n    "vcpu_count": 2,\n    "ht_enabled": true,\n    "smt": true,\n    "mem_size_mib": 128\n  }\n}';
    const removed = await fixFor('vm.firecracker.json', both, 'renamed-key', /Remove/);
    assert.equal(removed, both.replace('    "ht_enabled": true,\n', ''));
  });

  test('unknown key: did-you-mean', async () => {
    const fixed = await fixFor('a.sandbox.yaml', 'name: a\nisolation: isolate\nworkr: ./w.js\n', 'unknown-key', /worker/);
    assert.deepEqual(await svc.diagnostics(doc('a.sandbox.yaml', fixed)), []);
  });

  test('OCI: drop a privileged capability, turn on noNewPrivileges', async () => {
    const text = '{ "ociVersion": "1.0.2-dev", "root": { "path": "rootfs", "readonly": true },\n  "process": { "cwd": "/", "noNewPrivileges": false, "capabilities": { "bounding": ["CAP_KILL", "CAP_SYS_ADMIN"] } } }';
    const noCap = await fixFor('config.json', text, 'privileged-capability', /Remove CAP_SYS_ADMIN/);
    assert.ok(noCap.includes('"bounding": ["CAP_KILL"]'), noCap);
    const nnp = await fixFor('config.json', text, 'no-new-privileges', /true/);
    assert.ok(nnp.includes('"noNewPrivileges": true'));
  });

  test('only the actions asked for', async () => {
    const text = 'name: g\nisolation: microvm\nimage: busybox\ngpu: all\n';
    const d = doc('a.sandbox.yaml', text);
    const range = { start: { line: 3, character: 5 }, end: { line: 3, character: 5 } };
    const quick = await svc.codeActions(d, range, { diagnostics: [], only: ['quickfix'] });
    assert.ok(quick.length > 0 && quick.every((a) => a.kind === 'quickfix'));
    const refactor = await svc.codeActions(d, range, { diagnostics: [], only: ['refactor'] });
    assert.ok(refactor.length === 4 && refactor.every((a) => a.kind?.startsWith('refactor.rewrite')));
  });
});

describe('Move to isolation level', () => {
  test('offers the four other levels and each result is clean', async () => {
    const text = 'name: edge # the edge worker\nisolation: isolate\nworker: ./w.js\ncompatibilityDate: 2025-01-01\nenv: { A: b }\n';
    const d = doc('a.sandbox.yaml', text);
    const actions = await svc.codeActions(d, { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, { diagnostics: [] });
    const moves = actions.filter((a) => a.title.startsWith('Move to isolation level'));
    assert.deepEqual(moves.map((a) => a.title.split(' ').pop()), ['container', 'gvisor', 'microvm', 'vm']);
    for (const m of moves) {
      const moved = apply(text, m.edit?.changes?.[d.uri] ?? []);
      assert.deepEqual(await svc.diagnostics(doc('a.sandbox.yaml', moved)), [], moved);
      assert.match(moved, /^name: edge # the edge worker\n/);
      assert.ok(moved.includes('env: { A: b }'));
    }
    assert.equal(apply(text, moves[0].edit?.changes?.[d.uri] ?? []), 'name: edge # the edge worker\nisolation: container\nimage: busybox\nenv: { A: b }\n');
  });

  test('works on the document under the cursor in a multi-document file', async () => {
    const text = 'name: a\nisolation: isolate\nworker: ./w.js\n---\nname: b\nisolation: container\nimage: busybox\ncommand: [ls]\n';
    const d = doc('a.sandbox.yaml', text);
    const actions = await svc.codeActions(d, { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, { diagnostics: [] });
    const toIsolate = actions.find((a) => a.title === 'Move to isolation level isolate');
    const moved = apply(text, toIsolate?.edit?.changes?.[d.uri] ?? []);
    assert.equal(moved, 'name: a\nisolation: isolate\nworker: ./w.js\n---\nname: b\nisolation: isolate\nworker: ./worker.js\n');
  });
});
