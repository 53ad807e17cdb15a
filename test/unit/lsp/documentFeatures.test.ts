import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createLanguageService } from '../../../language-server/service/index';
import { pathToUri } from '../../../language-server/service/uri';
import { FIRECRACKER_SEEDS } from './fixtures/seeds';
import { apply, at, doc, memoryFs, ROOT } from './helpers';

const svc = createLanguageService({ fs: memoryFs(['edge.worker.js', 'kernels/vmlinux', 'rootfs.ext4', 'vmlinux']) });
const SPEC = 'name: hello\nisolation: gvisor\nimage: busybox\n---\nname: edge\nisolation: isolate\nworker: ./edge.worker.js\n';

describe('code lenses', () => {
  test('Launch per sandbox; Inspect and Tear Down only while it runs', async () => {
    const s = createLanguageService();
    const d = doc('a.sandbox.yaml', SPEC);
    const lenses = await s.codeLenses(d);
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.command, l.command?.arguments]), [
      [0, 'isolationSpectrum.launch', [{ uri: d.uri, name: 'hello' }]],
      [0, 'isolationSpectrum.compareAcrossSpectrum', [{ uri: d.uri, name: 'hello' }]],
      [4, 'isolationSpectrum.launch', [{ uri: d.uri, name: 'edge' }]],
      [4, 'isolationSpectrum.compareAcrossSpectrum', [{ uri: d.uri, name: 'edge' }]],
    ]);
    s.setRunningSandboxes([{ id: 'edge-a1b2c3', name: 'edge', isolation: 'isolate', specUri: d.uri }, { id: 'hello-000000', name: 'hello', isolation: 'gvisor', specUri: 'file:///elsewhere.sandbox.yaml' }]);
    const running = await s.codeLenses(d);
    assert.deepEqual(running.map((l) => [l.range.start.line, l.command?.title.replace(/^\$\(play\) /, ''), l.command?.command]), [
      [0, 'Launch', 'isolationSpectrum.launch'],
      [0, 'Compare Across Spectrum', 'isolationSpectrum.compareAcrossSpectrum'],
      [4, 'Launch', 'isolationSpectrum.launch'],
      [4, 'Compare Across Spectrum', 'isolationSpectrum.compareAcrossSpectrum'],
      [4, 'Inspect', 'isolationSpectrum.inspect'],
      [4, 'Tear Down', 'isolationSpectrum.tearDown'],
    ]);
    assert.deepEqual(running[5].command?.arguments, [{ uri: d.uri, name: 'edge' }]);
  });
});

describe('document symbols', () => {
  test('one symbol per sandbox with its level and keys', () => {
    const symbols = svc.documentSymbols(doc('a.sandbox.yaml', SPEC));
    assert.deepEqual(symbols.map((s) => [s.name, s.detail, s.range.start.line]), [['hello', 'gvisor', 0], ['edge', 'isolate', 4]]);
    assert.deepEqual(symbols[1].children?.map((c) => c.name), ['name', 'isolation', 'worker']);
  });

  test('Firecracker sections, drives named by id', () => {
    const symbols = svc.documentSymbols(doc('vm.firecracker.json', FIRECRACKER_SEEDS[0]));
    assert.ok(symbols.map((s) => s.name).includes('machine-config'));
    const drives = symbols.find((s) => s.name === 'drives');
    assert.deepEqual(drives?.children?.map((c) => c.name), ['rootfs']);
  });
});

describe('go to definition', () => {
  test('file paths open the file, relative to the document', async () => {
    const loc = await svc.definition(doc('a.sandbox.yaml', SPEC), at(SPEC, 'edge.worker', 2));
    assert.deepEqual(loc, { uri: pathToUri(path.join(ROOT, 'edge.worker.js')), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    const fc = FIRECRACKER_SEEDS[0];
    const k = await svc.definition(doc('vm.firecracker.json', fc), at(fc, '"vmlinux"', 2));
    assert.equal((k as { uri: string }).uri, pathToUri(path.join(ROOT, 'vmlinux')));
  });

  test('nothing for missing files or non-path values', async () => {
    assert.equal(await svc.definition(doc('a.sandbox.yaml', 'name: a\nworker: ./nope.js\n'), { line: 1, character: 10 }), null);
    assert.equal(await svc.definition(doc('a.sandbox.yaml', SPEC), at(SPEC, 'busybox', 2)), null);
  });
});

describe('document links', () => {
  test('existing files named by path fields are links; quotes stay outside', async () => {
    const links = await svc.documentLinks(doc('a.sandbox.yaml', SPEC));
    assert.deepEqual(links, [{ range: { start: { line: 6, character: 8 }, end: { line: 6, character: 24 } }, target: pathToUri(path.join(ROOT, 'edge.worker.js')) }]);
    const fc = FIRECRACKER_SEEDS[0];
    const fl = await svc.documentLinks(doc('vm.firecracker.json', fc));
    assert.deepEqual(fl.map((l) => [l.target, fc.split('\n')[l.range.start.line].slice(l.range.start.character, l.range.end.character)]), [
      [pathToUri(path.join(ROOT, 'vmlinux')), 'vmlinux'],
      [pathToUri(path.join(ROOT, 'rootfs.ext4')), 'rootfs.ext4'],
    ]);
  });
});

describe('formatting', () => {
  test('YAML keeps comments and documents', () => {
    const text = '# top comment\nname:   a   # trailing\nisolation:    isolate\nenv: {A: b}\nworker: ./w.js\n---\n# second\nname: b\nisolation: container\nimage: busybox\ncommand:\n    - ls\n';
    const d = doc('a.sandbox.yaml', text);
    const out = apply(text, svc.format(d, { tabSize: 2, insertSpaces: true }));
    assert.equal(out, '# top comment\nname: a # trailing\nisolation: isolate\nenv: { A: b }\nworker: ./w.js\n---\n# second\nname: b\nisolation: container\nimage: busybox\ncommand:\n  - ls\n');
    assert.deepEqual(svc.format(doc('a.sandbox.yaml', out), { tabSize: 2, insertSpaces: true }), []);
  });

  test('YAML with syntax errors is left alone', () => {
    assert.deepEqual(svc.format(doc('a.sandbox.yaml', 'name: [a\n'), { tabSize: 2, insertSpaces: true }), []);
  });

  test('JSON keeps comments', () => {
    const text = '{"boot-source": {"kernel_image_path": "k"}, // the kernel\n"drives": []}';
    const out = apply(text, svc.format(doc('vm.firecracker.json', text), { tabSize: 2, insertSpaces: true }));
    assert.equal(out, '{\n  "boot-source": {\n    "kernel_image_path": "k"\n  }, // the kernel\n  "drives": []\n}');
  });
});
