import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createLanguageService } from '../../../language-server/service/index';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadSpecFile } from '../../../engine/spec/load';
import { nodeFileSystem } from '../../../language-server/service/fs';
import { pathToUri } from '../../../language-server/service/uri';
import { FIRECRACKER_SEEDS, OCI_SEEDS, SANDBOX_SEEDS } from './fixtures/seeds';
import { at, doc, memoryFs } from './helpers';

const svc = createLanguageService({ fs: memoryFs(['vmlinux', 'rootfs.ext4', 'rootfs/', 'data/', 'edge.worker.js']) });

describe('recognition', () => {
  test('sandbox specs by language id or name; Firecracker by name or keys; OCI by name and ociVersion', () => {
    assert.ok(svc.accepts(doc('a.sandbox.yaml', '')));
    assert.ok(svc.accepts(doc('a.sandbox.yml', '', 'yaml')));
    assert.ok(svc.accepts(doc('x.yaml', '', 'sandbox')));
    assert.ok(svc.accepts(doc('vm.firecracker.json', '{}')));
    assert.ok(svc.accepts(doc('vm_config.json', '{}')));
    assert.ok(svc.accepts(doc('any.json', '{ "boot-source": {}, "drives": [] }')));
    assert.ok(!svc.accepts(doc('any.json', '{ "boot-source": {} }')));
    assert.ok(svc.accepts(doc('bundle/config.json', '{ "ociVersion": "1.0.2-dev" }')));
    assert.ok(!svc.accepts(doc('bundle/config.json', '{ "name": "x" }')));
    assert.ok(!svc.accepts(doc('package.json', '{ "name": "x" }')));
  });
});

describe('sandbox diagnostics', () => {
  test('are exactly what `spectrum up` refuses on: loadSpecFile on disk and the server agree', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lsp-diag-'));
    try {
      await mkdir(path.join(dir, 'data'));
      await writeFile(path.join(dir, 'edge.worker.js'), 'export default {}');
      const real = createLanguageService({ fs: nodeFileSystem() });
      for (const [i, text] of SANDBOX_SEEDS.entries()) {
        const file = path.join(dir, `s${i}.sandbox.yaml`);
        await writeFile(file, text);
        const lsp = await real.diagnostics(TextDocument.create(pathToUri(file), 'sandbox', 1, text));
        const engine = (await loadSpecFile(file)).diagnostics;
        assert.deepEqual(lsp.map((d) => [d.code, d.range, d.message]), engine.map((d) => [d.code, d.range, d.message]));
        assert.ok(lsp.every((d) => d.source === 'isolation-spectrum' && d.severity !== undefined));
      }
      assert.ok((await loadSpecFile(path.join(dir, 's1.sandbox.yaml'))).diagnostics.some((d) => d.code === 'file-not-found'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('without a file system no file is called missing', async () => {
    const text = 'name: a\nisolation: isolate\nworker: ./nope.js\n';
    assert.deepEqual(await createLanguageService().diagnostics(doc('s.sandbox.yaml', text)), []);
    assert.deepEqual((await svc.diagnostics(doc('s.sandbox.yaml', text))).map((d) => d.code), ['file-not-found']);
  });

  test('the broken seed has one diagnostic per problem', async () => {
    const codes = (await svc.diagnostics(doc('s.sandbox.yaml', SANDBOX_SEEDS[2]))).map((d) => d.code);
    assert.deepEqual(codes, ['duplicate-key']);
    const text = 'name: b\nisolation: isolat\nimage: alpine:3\ncomand: [ls]\nresources: { memory: 12XB, cpus: -1 }\n';
    const more = (await svc.diagnostics(doc('s.sandbox.yaml', text))).map((d) => d.code);
    assert.deepEqual(more, ['bad-value', 'unknown-key', 'bad-format', 'out-of-range']);
  });
});

describe('Firecracker diagnostics', () => {
  test('a valid config is clean', async () => {
    assert.deepEqual(await svc.diagnostics(doc('vm.firecracker.json', FIRECRACKER_SEEDS[0])), []);
  });

  test('schema and rules, each on its exact range', async () => {
    const text = FIRECRACKER_SEEDS[1];
    const d = await svc.diagnostics(doc('vm.firecracker.json', text));
    const byCode = (c: string) => d.filter((x) => x.code === c);
    assert.deepEqual(byCode('renamed-key')[0].range.start, at(text, '"ht_enabled"'));
    assert.match(String(byCode('renamed-key')[0].message), /smt/);
    assert.deepEqual(byCode('out-of-range').map((x) => x.range.start), [at(text, '33'), at(text, '"guest_cid": 2', 13)]);
    assert.equal(byCode('unknown-key')[0].range.start.line, at(text, '"bogus"').line);
    assert.equal(byCode('missing-key').length, 2, JSON.stringify(d)); // uds_path, path_on_host of drive "a"
    assert.equal(byCode('duplicate-id').length, 1);
    assert.equal(byCode('multiple-root-drives').length, 1);
    assert.equal(byCode('vhost-user-conflict').length, 1);
    assert.equal(byCode('bad-format').length, 1); // empty kernel_image_path
    assert.equal(byCode('huge-pages-memory').length, 1);
  });

  test('SMT needs 1 or an even vCPU count', async () => {
    const text = '{ "boot-source": { "kernel_image_path": "vmlinux" }, "drives": [], "machine-config": { "vcpu_count": 3, "mem_size_mib": 128, "smt": true } }';
    const d = await svc.diagnostics(doc('vm.firecracker.json', text));
    assert.deepEqual(d.map((x) => x.code), ['smt-odd-vcpus']);
    assert.deepEqual(d[0].range.start, at(text, '3,'));
  });

  test('guest_cid below 3, missing files are warned', async () => {
    const text = '{ "boot-source": { "kernel_image_path": "./nope" }, "drives": [], "vsock": { "guest_cid": 1, "uds_path": "v" } }';
    const d = await svc.diagnostics(doc('vm.firecracker.json', text));
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['out-of-range', 1], ['file-not-found', 2]]);
  });

  test('read as Firecracker reads it: drives required, null is absent, unknown top-level keys skipped', async () => {
    const none = '{ "boot-source": { "kernel_image_path": "vmlinux" } }';
    const d = await svc.diagnostics(doc('vm.firecracker.json', none));
    assert.deepEqual(d.map((x) => [x.code, x.message]), [['missing-key', 'Missing required key "drives".']]);
    assert.deepEqual(d[0].range, { start: at(none, '{'), end: at(none, '{', 1) });
    const nulls = '{ "boot-source": { "kernel_image_path": "vmlinux", "initrd_path": null }, "drives": [ { "drive_id": "r", "is_root_device": true, "path_on_host": "rootfs.ext4", "socket": null, "io_engine": null, "rate_limiter": null } ], "vsock": null, "cpu-config": null }';
    assert.deepEqual(await svc.diagnostics(doc('vm.firecracker.json', nulls)), []);
    const notNullable = '{ "boot-source": { "kernel_image_path": "vmlinux" }, "drives": [], "machine-config": { "vcpu_count": 1, "mem_size_mib": 128, "smt": null } }';
    const nn = await svc.diagnostics(doc('vm.firecracker.json', notNullable));
    assert.deepEqual(nn.map((x) => [x.code, x.message, x.range.start]), [['wrong-type', 'Expected boolean, got null.', at(notNullable, 'null')]]);
    const typo = '{ "boot-source": { "kernel_image_path": "vmlinux" }, "drives": [], "machine-confg": {} }';
    const t = await svc.diagnostics(doc('vm.firecracker.json', typo));
    assert.deepEqual(t.map((x) => [x.code, x.severity, x.range.start]), [['unknown-key', 2, at(typo, '"machine-confg"')]]);
    assert.match(String(t[0].message), /ignores it\. Did you mean "machine-config"/);
  });

  test('a wrong nested type is reported on the value, not the section', async () => {
    const text = '{ "boot-source": { "kernel_image_path": "vmlinux" }, "drives": [], "network-interfaces": [ { "iface_id": "eth0", "host_dev_name": "tap0", "rx_rate_limiter": { "bandwidth": { "size": "big", "refill_time": 100 } } } ] }';
    const d = await svc.diagnostics(doc('vm.firecracker.json', text));
    assert.deepEqual(d.map((x) => [x.code, x.message, x.range.start]), [['wrong-type', 'Expected integer, got string.', at(text, '"big"')]]);
  });

  test('syntax errors are reported and nothing cascades', async () => {
    const d = await svc.diagnostics(doc('vm.firecracker.json', '{ "boot-source": { '));
    assert.ok(d.length >= 1 && d.every((x) => x.code === 'json-syntax'));
  });
});

describe('OCI diagnostics', () => {
  test('runc spec output (1.0.2-dev) with a rootfs is clean', async () => {
    const d = await svc.diagnostics(doc('config.json', OCI_SEEDS[0]));
    assert.deepEqual(d.map((x) => x.code), []);
  });

  test('the risky bundle: missing root, bad namespace and rlimit, privileges flagged', async () => {
    const text = OCI_SEEDS[1];
    const d = await svc.diagnostics(doc('config.json', text));
    const codes = d.map((x) => x.code);
    for (const c of ['root-not-found', 'privileged-capability', 'writable-host-mount', 'joined-namespace', 'all-devices', 'no-seccomp', 'host-hooks', 'no-new-privileges']) assert.ok(codes.includes(c), `${c} in ${codes}`);
    const ns = d.find((x) => x.code === 'bad-value' && String(x.message).includes('netns'));
    assert.deepEqual(ns?.range.start, at(text, '"netns"'));
    const rl = d.find((x) => x.code === 'bad-value' && String(x.message).includes('RLIMIT_FOO'));
    assert.deepEqual(rl?.range.start, at(text, '"RLIMIT_FOO"'));
    assert.ok(d.some((x) => x.code === 'bad-value' && String(x.message).includes('CAP_BOGUS')));
    assert.deepEqual(d.find((x) => x.code === 'root-not-found')?.range.start, at(text, '"missing"'));
    assert.equal(d.filter((x) => x.code === 'privileged-capability').length, 1);
  });

  test('missing ociVersion and root are required keys', async () => {
    const d = await svc.diagnostics(doc('b.oci.json', '{ "ociVersion": "1.2.0" }', 'json'));
    assert.deepEqual(d.map((x) => x.code), ['missing-key']);
    assert.match(String(d[0].message), /root/);
  });
});
