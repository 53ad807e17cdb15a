import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkSpecText } from '../../../engine/spec/check';
import { loadSpecText } from '../../../engine/spec/load';
import type { SpecDiagnostic } from '../../../engine/spec/types';
import { applyEdits } from './edits';

const diags = (text: string): SpecDiagnostic[] => checkSpecText(text).diagnostics;
const only = (text: string): SpecDiagnostic => {
  const d = diags(text);
  assert.equal(d.length, 1, `expected one diagnostic, got ${JSON.stringify(d.map((x) => x.code))}`);
  return d[0];
};
const fix = (text: string, d: SpecDiagnostic, title: RegExp): string => {
  const f = d.fixes?.find((x) => title.test(x.title));
  assert.ok(f, `no fix ${title} in ${JSON.stringify(d.fixes?.map((x) => x.title))}`);
  return applyEdits(text, f.edits);
};

describe('semantic rules', () => {
  test('GPU on microvm: one error on the value, fixes move to gvisor or vm', () => {
    const text = 'name: g\nisolation: microvm\nimage: busybox\ngpu: all\n';
    const d = only(text);
    assert.equal(d.code, 'gpu-on-microvm');
    assert.deepEqual(d.range, { start: { line: 3, character: 5 }, end: { line: 3, character: 8 } });
    assert.deepEqual(diags(fix(text, d, /gvisor/)), []);
    assert.equal(fix(text, d, /gvisor/), 'name: g\nisolation: gvisor\nimage: busybox\ngpu: all\n');
    assert.deepEqual(diags(fix(text, d, /\bvm\b/)), []);
  });

  test('command on isolate: fix moves to container, dropping worker and adding an image', () => {
    const text = 'name: e # edge\nisolation: isolate # light\nworker: ./w.js\ncommand: [ls]\n';
    const d = only(text);
    assert.equal(d.code, 'command-on-isolate');
    assert.deepEqual(d.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 7 } });
    const fixed = fix(text, d, /container/);
    assert.equal(fixed, 'name: e # edge\nisolation: container # light\nimage: busybox\ncommand: [ls]\n');
    assert.deepEqual(diags(fixed), []);
  });

  test('image references are accepted at container and gvisor, malformed ones refused with their position', () => {
    for (const ok of ['busybox', './rootfs', '/abs/dir', 'rootfs', 'alpine:3', 'ghcr.io/a/b', 'localhost/x', 'oci-layout:./lay:1', 'docker-archive:./a.tar']) {
      for (const level of ['container', 'gvisor']) assert.deepEqual(diags(`name: r\nisolation: ${level}\nimage: ${ok}\n`), [], `${level} ${ok}`);
    }
    const d = only('name: r\nisolation: container\nimage: nginx@sha256:abc\n');
    assert.equal(d.code, 'invalid-image-reference');
    assert.deepEqual(d.range, { start: { line: 2, character: 7 }, end: { line: 2, character: 23 } });
    for (const bad of ['Alpine:3', 'alpine:-x', 'a//b']) assert.equal(only(`name: r\nisolation: container\nimage: ${bad}\n`).code, 'invalid-image-reference', bad);
  });

  test('an OCI image is accepted at microvm and vm (booted from its ext4 disk), not at isolate', () => {
    for (const level of ['microvm', 'vm']) {
      for (const ok of ['alpine:3', 'oci-layout:./lay:1', 'docker-archive:./a.tar']) assert.deepEqual(diags(`name: r\nisolation: ${level}\nimage: ${ok}\n`), [], `${level} ${ok}`);
      assert.equal(only(`name: r\nisolation: ${level}\nimage: Alpine:3\n`).code, 'invalid-image-reference');
    }
    const d = only('name: r\nisolation: isolate\nworker: ./w.js\nimage: alpine:3\n');
    assert.equal(d.code, 'field-not-for-level');
  });

  test('unknown key: one error on the key with a did-you-mean fix', () => {
    const text = 'name: u\nisolation: container\nimage: busybox\ncomand: [ls]\n';
    const d = only(text);
    assert.equal(d.code, 'unknown-key');
    assert.match(d.message, /command/);
    assert.deepEqual(d.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 6 } });
    assert.equal(fix(text, d, /Change/), 'name: u\nisolation: container\nimage: busybox\ncommand: [ls]\n');
    assert.equal(fix(text, d, /Remove/), 'name: u\nisolation: container\nimage: busybox\n');
  });

  test('missing required keys, each with an add fix', () => {
    const d = diags('name: m\n');
    assert.deepEqual(d.map((x) => x.code), ['missing-key']);
    assert.match(d[0].message, /isolation/);
    const fixed = applyEdits('name: m\n', d[0].fixes![0].edits);
    assert.match(fixed, /^name: m\nisolation: isolate/);
    const c = only('name: c\nisolation: container\n');
    assert.equal(c.code, 'missing-key');
    assert.deepEqual(diags(fix('name: c\nisolation: container\n', c, /image/)), []);
    const i = only('name: i\nisolation: isolate\n');
    assert.equal(i.code, 'missing-key');
    assert.match(i.message, /worker/);
  });

  test('memory below a guest kernel on microvm/vm', () => {
    const text = 'name: m\nisolation: vm\nimage: busybox\nresources:\n  memory: 64Mi\n';
    const d = only(text);
    assert.equal(d.code, 'memory-too-low');
    assert.deepEqual(d.range, { start: { line: 4, character: 10 }, end: { line: 4, character: 14 } });
    assert.deepEqual(diags(fix(text, d, /128Mi/)), []);
    assert.deepEqual(diags('name: m\nisolation: container\nimage: busybox\nresources:\n  memory: 64Mi\n'), []);
  });

  test('impossible resources', () => {
    assert.equal(only('name: m\nisolation: container\nimage: busybox\nresources: { memory: 1Ki }\n').code, 'impossible-resources');
    assert.equal(only('name: m\nisolation: microvm\nimage: busybox\nresources: { cpus: 1.5 }\n').code, 'impossible-resources');
    assert.equal(only('name: m\nisolation: container\nimage: busybox\nresources: { cpus: 0 }\n').code, 'out-of-range');
    assert.equal(only('name: m\nisolation: container\nimage: busybox\nresources: { pids: 0 }\n').code, 'out-of-range');
    assert.equal(only('name: m\nisolation: container\nimage: busybox\ntimeout: 0s\n').code, 'impossible-resources');
  });

  test('duplicate names across documents', () => {
    const text = 'name: a\nisolation: isolate\nworker: ./w.js\n---\nname: a\nisolation: isolate\nworker: ./w.js\n';
    const d = only(text);
    assert.equal(d.code, 'duplicate-name');
    assert.equal(d.range.start.line, 4);
    assert.deepEqual(diags(fix(text, d, /a-2/)), []);
  });

  test('duplicate keys come once, from the YAML parser', () => {
    const d = only('name: a\nname: b\nisolation: isolate\nworker: ./w.js\n');
    assert.equal(d.code, 'duplicate-key');
  });

  test('wrong types and bad enum values', () => {
    const e = only('name: a\nisolation: gvisr\nimage: busybox\n');
    assert.equal(e.code, 'bad-value');
    assert.equal(e.fixes?.[0].title, 'Change to gvisor');
    const t = only('name: a\nisolation: container\nimage: busybox\nenv: { PORT: 8080 }\n');
    assert.equal(t.code, 'wrong-type');
    assert.equal(fix('name: a\nisolation: container\nimage: busybox\nenv: { PORT: 8080 }\n', t, /Quote/), 'name: a\nisolation: container\nimage: busybox\nenv: { PORT: "8080" }\n');
    assert.equal(only('name: a\nisolation: container\nimage: busybox\ngpu: some\n').code, 'bad-value');
    assert.deepEqual(diags('name: a\nisolation: gvisor\nimage: busybox\ngpu: [0, 1]\n'), []);
  });

  test('fields another level uses are warned about, network host is warned', () => {
    const d = diags('name: a\nisolation: container\nimage: busybox\nkernel: auto\nnetwork: host\n');
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['field-not-for-level', 'warning'], ['network-host', 'warning']]);
    assert.equal(loadSpecText('name: a\nisolation: container\nimage: busybox\nkernel: auto\n', '/x/a.sandbox.yaml').sandboxes.length, 1);
    assert.equal(only('name: a\nisolation: gvisor\nimage: busybox\ndevices: ["0000:01:00.0"]\n').code, 'devices-need-vm');
  });

  test('syntax errors come with a range and suppress cascades in their document', () => {
    const d = diags('name: a\nisolation: [container\n');
    assert.ok(d.length >= 1);
    assert.ok(d.every((x) => x.code === 'yaml-syntax'));
  });
});
