// The language server's Kubernetes touches: a hover on `isolation` names the RuntimeClass the
// level maps to; a hint says why Export to Kubernetes would refuse a document.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLanguageService } from '../../../language-server/service/index';
import { buildSandboxDocument } from '../../../language-server/service/sandbox/sandboxDocument';
import { exportHints } from '../../../language-server/service/sandbox/levelInfo';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { nodeFileSystem } from '../../../language-server/service/fs';
import { pathToUri } from '../../../language-server/service/uri';
import { at, doc, hoverText } from '../lsp/helpers';

describe('language server: Kubernetes', () => {
  const svc = createLanguageService();
  const hover = async (text: string) => hoverText(await svc.hover(doc('a.sandbox.yaml', text), at(text, 'isolation', 2)));

  test('hover on isolation names the RuntimeClass of this document\'s level', async () => {
    assert.match(await hover('name: a\nisolation: gvisor\nimage: busybox\n'), /Kubernetes: `runtimeClassName: gvisor`/);
    assert.match(await hover('name: a\nisolation: vm\nimage: busybox\n'), /`runtimeClassName: kata-qemu`/);
    assert.match(await hover('name: a\nisolation: microvm\nimage: busybox\nresources: { memory: 256Mi }\n'), /`runtimeClassName: kata-fc`/);
    assert.match(await hover('name: a\nisolation: container\nimage: busybox\n'), /no runtimeClassName, the cluster's default runtime \(runc\)/);
    assert.match(await hover('name: a\nisolation: isolate\nworker: ./w.js\n'), /no equivalent .*refuses it/);
  });

  test('a hint, at the key, for what cannot be exported; none for what can', () => {
    const text = 'name: ok\nisolation: gvisor\nimage: alpine:3.20\n---\nname: edge\nisolation: isolate\nworker: ./w.js\n---\nname: m\nisolation: container\nimage: busybox\nmounts: [{ source: ./d, target: /d }]\n';
    const cd = buildSandboxDocument(doc('a.sandbox.yaml', text), text);
    const hints = exportHints(cd, cd.spec);
    assert.deepEqual(hints.map((h) => [h.code, h.severity, h.range.start.line]), [['k8s-isolate', 'hint', 5], ['k8s-mounts', 'hint', 11]]);
    assert.match(hints[0].message, /^Export to Kubernetes: isolate has no Kubernetes equivalent/);
  });

  test('no hint on a document that already has errors (the error comes first)', () => {
    const text = 'name: a\nisolation: isolate\nworker: ./w.js\ncommand: [ls]\n';
    const cd = buildSandboxDocument(doc('a.sandbox.yaml', text), text);
    assert.ok(cd.diagnostics.some((d) => d.severity === 'error'));
    assert.deepEqual(exportHints(cd, cd.spec), []);
  });

  test('the server shows the hints only once the spec has been exported (its manifests beside it)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-k8s-ls-'));
    try {
      const text = 'name: edge\nisolation: isolate\nworker: ./w.js\n';
      writeFileSync(path.join(dir, 'w.js'), 'export default {};\n');
      const file = path.join(dir, 'app.sandbox.yaml');
      writeFileSync(file, text);
      const svc = createLanguageService({ fs: nodeFileSystem() });
      const codes = async () => (await svc.diagnostics(TextDocument.create(pathToUri(file), 'sandbox', 1, text))).map((d) => d.code);
      assert.deepEqual(await codes(), []);
      writeFileSync(path.join(dir, 'app.k8s.yaml'), '# exported\n');
      assert.deepEqual(await codes(), ['k8s-isolate']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
