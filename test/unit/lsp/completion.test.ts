import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem } from 'vscode-languageserver-types';
import { createLanguageService } from '../../../language-server/service/index';
import { apply, at, doc, memoryFs } from './helpers';

const svc = createLanguageService({ fs: memoryFs(['edge.worker.js', 'data/', 'rootfs/', 'kernels/vmlinux', '.hidden', 'disk.img']) });
const labels = (items: CompletionItem[] | undefined) => (items ?? []).map((i) => i.label);
const edit = (text: string, item: CompletionItem | undefined) => {
  assert.ok(item?.textEdit && 'range' in item.textEdit, 'item has a text edit');
  return apply(text, [item.textEdit]);
};

describe('sandbox completion', () => {
  test('top-level keys not yet present; fields the level ignores sort last', async () => {
    const text = 'name: a\nisolation: gvisor\n\n';
    const list = await svc.completion(doc('a.sandbox.yaml', text), { line: 2, character: 0 });
    const l = labels(list?.items);
    assert.ok(!l.includes('name') && !l.includes('isolation'));
    assert.ok(l.includes('image') && l.includes('gvisor') && l.includes('worker'));
    const worker = list?.items.find((i) => i.label === 'worker');
    assert.match(String(worker?.detail), /no effect at gvisor/);
    assert.ok(String(worker?.sortText) > String(list?.items.find((i) => i.label === 'gvisor')?.sortText));
  });

  test('a partial key is replaced; required children come as a snippet', async () => {
    const text = 'name: a\nisolation: gvisor\nmou\n';
    const list = await svc.completion(doc('a.sandbox.yaml', text), at(text, 'mou', 3));
    const mounts = list?.items.find((i) => i.label === 'mounts');
    assert.equal(mounts?.insertTextFormat, 2);
    assert.equal(edit(text, mounts), 'name: a\nisolation: gvisor\nmounts:\n  - source: ${1}\n    target: ${2}\n');
  });

  test('nested keys', async () => {
    const text = 'name: a\nresources:\n  cpus: 1\n  \n';
    const l = labels((await svc.completion(doc('a.sandbox.yaml', text), { line: 3, character: 2 }))?.items);
    assert.deepEqual(l.sort(), ['memory', 'pids']);
  });

  test('isolation values with a one-line trade-off each', async () => {
    const text = 'name: a\nisolation: \n';
    const list = await svc.completion(doc('a.sandbox.yaml', text), { line: 1, character: 11 });
    assert.deepEqual(labels(list?.items), ['isolate', 'container', 'gvisor', 'microvm', 'vm']);
    for (const i of list?.items ?? []) assert.ok(i.detail && i.detail.length > 40 && !i.detail.includes('\n'), i.label);
    assert.equal(edit(text, list?.items[2]), 'name: a\nisolation: gvisor\n');
  });

  test('partial enum values are replaced', async () => {
    const text = 'name: a\nnetwork: out\n';
    const list = await svc.completion(doc('a.sandbox.yaml', text), at(text, 'out', 3));
    assert.equal(edit(text, list?.items.find((i) => i.label === 'outbound')), 'name: a\nnetwork: outbound\n');
  });

  test('file paths for worker, image and kernel, relative to the spec', async () => {
    const text = 'name: a\nisolation: isolate\nworker: \n';
    const list = await svc.completion(doc('a.sandbox.yaml', text), { line: 2, character: 8 });
    assert.deepEqual(labels(list?.items).sort(), ['data/', 'disk.img', 'edge.worker.js', 'kernels/', 'rootfs/']);
    assert.equal(edit(text, list?.items.find((i) => i.label === 'edge.worker.js')), 'name: a\nisolation: isolate\nworker: ./edge.worker.js\n');
    const k = 'name: a\nkernel: ./kernels/vm\n';
    const kl = await svc.completion(doc('a.sandbox.yaml', k), at(k, '/vm', 3));
    assert.equal(edit(k, kl?.items.find((i) => i.label === 'vmlinux')), 'name: a\nkernel: ./kernels/vmlinux\n');
    const img = 'name: a\nimage: ./.\n';
    assert.ok(labels((await svc.completion(doc('a.sandbox.yaml', img), at(img, './.', 3)))?.items).includes('.hidden'));
  });

  test('nothing inside comments', async () => {
    const text = 'name: a # isol\n';
    assert.deepEqual((await svc.completion(doc('a.sandbox.yaml', text), at(text, 'isol', 4)))?.items, []);
  });
});

describe('Firecracker and OCI completion', () => {
  test('top-level keys with snippets for required children', async () => {
    const text = '{\n  \n}';
    const list = await svc.completion(doc('vm.firecracker.json', text), { line: 1, character: 2 });
    const boot = list?.items.find((i) => i.label === 'boot-source');
    assert.ok(boot);
    assert.equal(edit(text, boot), '{\n  "boot-source": {\n\t"kernel_image_path": "${1}"\n}\n}');
    assert.ok(!labels(list?.items).includes('ht_enabled'));
  });

  test('keys inside machine-config exclude present ones; enum values are quoted', async () => {
    const text = '{ "boot-source": {}, "machine-config": { "vcpu_count": 2, "" } }';
    const l = labels((await svc.completion(doc('vm.firecracker.json', text), at(text, '""', 1)))?.items);
    assert.ok(l.includes('mem_size_mib') && l.includes('smt') && !l.includes('vcpu_count') && !l.includes('ht_enabled'));
    const v = '{ "boot-source": {}, "machine-config": { "huge_pages": "" } }';
    const vl = await svc.completion(doc('vm.firecracker.json', v), at(v, '""', 1));
    assert.deepEqual(labels(vl?.items), ['None', 'Transparent', '2M']);
    assert.equal(edit(v, vl?.items[2]), '{ "boot-source": {}, "machine-config": { "huge_pages": "2M" } }');
  });

  test('Firecracker path fields complete files', async () => {
    const text = '{ "boot-source": { "kernel_image_path": "./kernels/" }, "drives": [] }';
    const list = await svc.completion(doc('vm.firecracker.json', text), at(text, '/" }', 1));
    assert.equal(edit(text, list?.items.find((i) => i.label === 'vmlinux')), '{ "boot-source": { "kernel_image_path": "./kernels/vmlinux" }, "drives": [] }');
  });

  test('keys come from the upstream schemas: Firecracker metrics, OCI FreeBSD and net devices', async () => {
    const fc = '{ "boot-source": {}, "drives": [], "metrics": { "" } }';
    assert.ok(labels((await svc.completion(doc('vm.firecracker.json', fc), at(fc, '""', 1)))?.items).includes('emit_id'));
    const oci = '{ "ociVersion": "1.3.0", "" }';
    assert.ok(labels((await svc.completion(doc('config.json', oci), at(oci, '""', 1)))?.items).includes('freebsd'));
    const linux = '{ "ociVersion": "1.3.0", "linux": { "" } }';
    assert.ok(labels((await svc.completion(doc('config.json', linux), at(linux, '""', 1)))?.items).includes('netDevices'));
  });

  test('OCI namespace types', async () => {
    const text = '{ "ociVersion": "1.0.2", "linux": { "namespaces": [ { "type": "" } ] } }';
    const l = labels((await svc.completion(doc('config.json', text), at(text, '""', 1)))?.items);
    assert.deepEqual(l, ['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup', 'time']);
  });
});

describe('multi-document completion', () => {
  test('a fresh document after --- gets the top-level keys', async () => {
    const text = 'name: a\nisolation: isolate\nworker: ./w.js\n---\n\n';
    const l = labels((await svc.completion(doc('a.sandbox.yaml', text), { line: 4, character: 0 }))?.items);
    assert.ok(l.includes('name') && l.includes('isolation'), String(l));
  });
  test('keys of the document under the cursor only', async () => {
    const text = 'name: a\nisolation: isolate\n---\nname: b\n\n---\nname: c\nimage: busybox\n';
    const l = labels((await svc.completion(doc('a.sandbox.yaml', text), { line: 4, character: 0 }))?.items);
    assert.ok(!l.includes('name') && l.includes('isolation') && l.includes('image'), String(l));
  });
});
