import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createLanguageService } from '../../../language-server/service/index';
import { FIRECRACKER_SEEDS, OCI_SEEDS } from './fixtures/seeds';
import { at, doc, hoverText } from './helpers';

const SPEC = 'name: hello\nisolation: gvisor # here\nimage: busybox\nnetwork: none\nresources:\n  memory: 128Mi\n';

describe('hover', () => {
  const svc = createLanguageService();

  test('a spec key: meaning, type, default, allowed values, which levels use it', async () => {
    const h = await svc.hover(doc('a.sandbox.yaml', SPEC), at(SPEC, 'network', 3));
    const text = hoverText(h);
    assert.match(text, /^\*\*network\*\*/);
    assert.match(text, /Type: `none` \| `outbound` \| `host`/);
    assert.match(text, /Default: `none`/);
    assert.match(text, /`outbound`: Outbound connections/);
    assert.deepEqual(h?.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 7 } });
    const image = hoverText(await svc.hover(doc('a.sandbox.yaml', SPEC), at(SPEC, 'image')));
    assert.match(image, /Levels: needed by container, gvisor, microvm, vm; no effect at isolate\./);
  });

  test('an isolation level value says what it isolates and what it costs', async () => {
    const h = await svc.hover(doc('a.sandbox.yaml', SPEC), at(SPEC, 'gvisor', 2));
    assert.match(hoverText(h), /^\*\*gvisor\*\* \(isolation\)\n\ngVisor \(runsc\): a user-space kernel/);
    assert.deepEqual(h?.range, { start: { line: 1, character: 11 }, end: { line: 1, character: 17 } });
  });

  test('nested keys and constraints', async () => {
    const text = hoverText(await svc.hover(doc('a.sandbox.yaml', SPEC), at(SPEC, 'memory', 1)));
    assert.match(text, /^\*\*memory\*\*/);
    assert.match(text, /Ki, Mi, Gi/);
  });

  test('nothing on comments or blank space', async () => {
    assert.equal(await svc.hover(doc('a.sandbox.yaml', SPEC), at(SPEC, '# here', 3)), null);
  });

  test('Firecracker keys and enum values', async () => {
    const t = FIRECRACKER_SEEDS[0];
    const vcpu = hoverText(await svc.hover(doc('vm.firecracker.json', t), at(t, 'vcpu_count', 1)));
    assert.match(vcpu, /Range: 1 to 32/);
    assert.match(vcpu, /smt/);
    const cache = hoverText(await svc.hover(doc('vm.firecracker.json', t), at(t, '"V2"', 1)));
    assert.match(cache, /^\*\*V2\*\* \(version\)/);
  });

  test('keys only the upstream schemas know get a hover from their descriptions', async () => {
    const fc = '{ "boot-source": { "kernel_image_path": "k" }, "drives": [], "metrics": { "metrics_path": "m", "emit_id": true } }';
    assert.match(hoverText(await svc.hover(doc('vm.firecracker.json', fc), at(fc, 'emit_id', 1))), /jailer "--id"/);
    const oci = '{ "ociVersion": "1.3.0", "root": { "path": "rootfs" }, "freebsd": { "jail": { "vnet": "new" } }, "linux": { "resources": { "rdma": { "m": { "hcaHandles": 1 } } } } }';
    assert.equal(hoverText(await svc.hover(doc('config.json', oci), at(oci, 'freebsd', 1))), '**freebsd**\n\nFreeBSD platform-specific configurations\n\nType: `object`');
    assert.match(hoverText(await svc.hover(doc('config.json', oci), at(oci, 'vnet', 1))), /- `new`\n- `inherit`/);
    assert.match(hoverText(await svc.hover(doc('config.json', oci), at(oci, 'hcaHandles', 1))), /Range: 0 to 4294967295/);
  });

  test('OCI enum values (namespaces, capabilities)', async () => {
    const t = OCI_SEEDS[0];
    assert.match(hoverText(await svc.hover(doc('config.json', t), at(t, '"pid"', 1))), /only its own processes/);
    assert.match(hoverText(await svc.hover(doc('config.json', t), at(t, '"capabilities"', 2))), /capability sets/);
  });

  test('concept hovers come after the config hover, in one hover', async () => {
    const s = createLanguageService();
    s.setConceptSource({ conceptHover: () => ({ contents: { kind: 'markdown', value: '**gVisor**: a concept' } }) });
    const h = await s.hover(doc('a.sandbox.yaml', SPEC), at(SPEC, 'gvisor', 2));
    const text = hoverText(h);
    assert.ok(text.indexOf('(isolation)') < text.indexOf('a concept'));
    assert.match(text, /\n\n---\n\n\*\*gVisor\*\*: a concept$/);
    assert.deepEqual(h?.range?.start, { line: 1, character: 11 });
    const only = await s.hover(doc('a.sandbox.yaml', SPEC), at(SPEC, '# here', 3));
    assert.equal(hoverText(only), '**gVisor**: a concept');
  });
});
