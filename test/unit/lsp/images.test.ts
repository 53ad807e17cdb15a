// `image:` against a real image store in a temp folder, written by the engine's own code (the
// layout import, and the store's saveRecord for a reference, as a pull ends): completion, hover,
// the not-pulled information diagnostic and its Pull quick fix, and the catalog's refresh.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { importLayout } from '../../../engine/images/layout-source';
import { ImageStore, type ImageRecord } from '../../../engine/images/store';
import { createLanguageService, type LanguageService } from '../../../language-server/service/index';
import { nodeFileSystem } from '../../../language-server/service/fs';
import { IMAGE_STORE_CHECK_MS, storeCatalog } from '../../../language-server/service/sandbox/imageCatalog';
import { IMAGE_NOT_PULLED, PULL_IMAGE_COMMAND, storeNameOf } from '../../../language-server/service/sandbox/imageFeatures';
import { storeName } from '../../../engine/images/resolve';
import { pathToUri } from '../../../language-server/service/uri';
import { writeTinyLayout } from '../../helpers/tiny-layout';
import { at, hoverText } from './helpers';

describe('image: against the local image store', () => {
  let tmp: string;
  let store: ImageStore;
  let service: LanguageService;
  let clock = 0;
  let alpine: ImageRecord;
  let layoutRec: ImageRecord;
  const specDoc = (text: string, version = 1) => TextDocument.create(pathToUri(path.join(tmp, 'ws', 'a.sandbox.yaml')), 'sandbox', version, text);
  const spec = (image: string, level = 'container') => specDoc(`name: a\nisolation: ${level}\nimage: ${image}\ncommand: [/bin/true]\n`);
  const notPulled = (ds: Diagnostic[]) => ds.filter((d) => d.code === IMAGE_NOT_PULLED);

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-lsp-images-'));
    const cache = path.join(tmp, 'cache');
    store = new ImageStore(cache);
    // A layout next to the spec, imported by the engine's importer (tag v1).
    const ws = path.join(tmp, 'ws');
    writeTinyLayout(path.join(ws, 'layout'), 'v1', { Cmd: ['/bin/hello'], WorkingDir: '/srv' });
    layoutRec = await importLayout(store, `${path.join(ws, 'layout')}:v1`);
    // A second layout stands in for alpine:3.20: its blobs go in by the importer, and the record
    // under the reference's name is saved as pullImage saves one.
    writeTinyLayout(path.join(tmp, 'alpine'), 'x', { Entrypoint: ['/bin/sh', '-c'], Cmd: ['echo hi'] }, '2024-06-18T17:00:00Z');
    const imported = await importLayout(store, `${path.join(tmp, 'alpine')}:x`);
    store.removeRecord(imported.name);
    alpine = { ...imported, name: 'docker.io/library/alpine:3.20' };
    store.saveRecord(alpine);
    // Present on disk but never imported.
    writeTinyLayout(path.join(ws, 'other'), 'v2');
    writeFileSync(path.join(ws, 'saved.tar'), 'not read by the language server');
    mkdirSync(path.join(ws, 'rootfs'));
    service = createLanguageService({ fs: nodeFileSystem(), images: storeCatalog(cache, () => clock) });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test("the server's store names are the engine's", () => {
    for (const image of ['alpine', 'alpine:3.20', 'ghcr.io/o/r@sha256:' + 'b'.repeat(64), '127.0.0.1:5000/team/app:1', 'index.docker.io/x/y', 'oci-layout:/a/b:t', 'oci-layout:/a/b', 'docker-archive:/x/y.tar']) {
      assert.equal(storeNameOf(image), storeName(image), image);
    }
    assert.equal(storeNameOf('busybox'), undefined);
    assert.equal(storeNameOf('/rootfs'), undefined);
  });

  test('completion offers the stored images by the names people type, then busybox', async () => {
    const d = specDoc('name: a\nisolation: container\nimage: \n');
    const list = await service.completion(d, at(d.getText(), 'image: ', 7));
    const labels = list?.items.map((i) => i.label) ?? [];
    assert.ok(labels.includes('alpine:3.20'), labels.join(', '));
    assert.ok(labels.includes(layoutRec.name), labels.join(', '));
    assert.ok(labels.includes('busybox'));
    const item = list!.items.find((i) => i.label === 'alpine:3.20')!;
    assert.match(String(item.detail), /linux\/amd64/);
    assert.match(String(item.detail), /sha256:/);
    assert.ok(labels.indexOf('alpine:3.20') < labels.indexOf('busybox'), 'stored images come first');
    // A path being typed: folder entries only, no image names.
    const p = specDoc('name: a\nisolation: container\nimage: ./\n');
    const paths = (await service.completion(p, at(p.getText(), './', 2)))?.items.map((i) => i.label) ?? [];
    assert.ok(paths.includes('rootfs/'), paths.join(', '));
    assert.ok(!paths.includes('alpine:3.20'));
  });

  test('hover on a stored image: digest, size, entrypoint, cmd, platform, created', async () => {
    const d = spec('alpine:3.20');
    const h = hoverText(await service.hover(d, at(d.getText(), 'alpine', 2)));
    assert.match(h, /docker\.io\/library\/alpine:3\.20/);
    assert.ok(h.includes(alpine.manifestDigest), h);
    assert.match(h, /Size: \d+(\.\d)? (B|KiB)/);
    assert.match(h, /Entrypoint: `\["\/bin\/sh","-c"\]`/);
    assert.match(h, /Cmd: `\["echo hi"\]`/);
    assert.match(h, /Platform: `linux\/amd64`/);
    assert.match(h, /Created: 2024-06-18T17:00:00Z/);
    const l = spec('oci-layout:./layout:v1');
    const lh = hoverText(await service.hover(l, at(l.getText(), 'layout:v1')));
    assert.match(lh, /Working directory: `\/srv`/);
    assert.ok(lh.includes(layoutRec.manifestDigest));
  });

  test('hover on an image not in the store gives the normalised name it would be pulled as', async () => {
    const d = spec('python:3.12-slim');
    const h = hoverText(await service.hover(d, at(d.getText(), 'python', 1)));
    assert.match(h, /not pulled/);
    assert.ok(h.includes('`docker.io/library/python:3.12-slim`'), h);
    const b = spec('busybox');
    assert.doesNotMatch(hoverText(await service.hover(b, at(b.getText(), 'busybox', 1))), /not pulled/);
  });

  test('an image not in the store is an information diagnostic with a Pull quick fix running the extension command', async () => {
    const d = spec('python:3.12-slim');
    const ds = await service.diagnostics(d);
    const [info] = notPulled(ds);
    assert.ok(info, JSON.stringify(ds));
    assert.equal(info.severity, 3);
    assert.deepEqual(info.range, { start: { line: 2, character: 7 }, end: { line: 2, character: 23 } });
    assert.ok(!ds.some((x) => x.severity === 1), 'no errors');
    const actions = (await service.codeActions(d, info.range, { diagnostics: [info], only: ['quickfix'] })) as CodeAction[];
    const pull = actions.find((a) => a.command?.command === PULL_IMAGE_COMMAND);
    assert.ok(pull, JSON.stringify(actions));
    assert.equal(pull.title, 'Pull python:3.12-slim');
    assert.deepEqual(pull.command?.arguments, ['python:3.12-slim']);
    assert.equal(pull.kind, 'quickfix');
    // Only asked-for kinds.
    assert.equal((await service.codeActions(d, info.range, { diagnostics: [info], only: ['refactor'] })).filter((a) => 'command' in a && a.command).length, 0);
  });

  test('stored images, busybox, directories and missing paths get no not-pulled hint', async () => {
    for (const image of ['alpine:3.20', 'docker.io/library/alpine:3.20', 'busybox', './rootfs', 'oci-layout:./layout:v1']) {
      assert.deepEqual(notPulled(await service.diagnostics(spec(image))), [], image);
    }
    // A missing layout is already an error saying so; no second message on it.
    const missing = await service.diagnostics(spec('oci-layout:./nowhere'));
    assert.ok(missing.some((x) => x.severity === 1 && x.code === 'file-not-found'), JSON.stringify(missing));
    assert.deepEqual(notPulled(missing), []);
    // An invalid reference is the spec check's error alone.
    const bad = await service.diagnostics(spec('Alpine:3.20'));
    assert.ok(bad.some((x) => x.severity === 1));
    assert.deepEqual(notPulled(bad), []);
    // Isolates ignore image:.
    assert.deepEqual(notPulled(await service.diagnostics(specDoc('name: a\nisolation: isolate\nworker: ./w.js\nimage: python\n'))), []);
  });

  test('a layout or archive on disk but not imported: an Import quick fix with its absolute path', async () => {
    const ws = path.join(tmp, 'ws');
    for (const [image, arg] of [
      ['oci-layout:./other:v2', `oci-layout:${path.join(ws, 'other')}:v2`],
      ['docker-archive:./saved.tar', `docker-archive:${path.join(ws, 'saved.tar')}`],
    ]) {
      const d = spec(image);
      const [info] = notPulled(await service.diagnostics(d));
      assert.ok(info, image);
      assert.match(String(info.message), /not imported/);
      const actions = (await service.codeActions(d, info.range, { diagnostics: [info] })) as CodeAction[];
      const fix = actions.find((a) => a.command?.command === PULL_IMAGE_COMMAND);
      assert.deepEqual(fix?.command?.arguments, [arg]);
      assert.equal(fix?.title, `Import ${arg}`);
    }
  });

  test('the store is read again when it changes (at most once a second), never on every request', async () => {
    const d = spec('python:3.12-slim');
    assert.equal(notPulled(await service.diagnostics(d)).length, 1);
    store.saveRecord({ ...alpine, name: 'docker.io/library/python:3.12-slim' });
    // Within the check interval the cached list answers.
    assert.equal(notPulled(await service.diagnostics(d)).length, 1);
    clock += IMAGE_STORE_CHECK_MS;
    assert.equal(notPulled(await service.diagnostics(d)).length, 0);
    assert.match(hoverText(await service.hover(d, at(d.getText(), 'python', 1))), /in the local store/);
    // rmi: gone again.
    store.removeRecord('docker.io/library/python:3.12-slim');
    clock += IMAGE_STORE_CHECK_MS;
    assert.equal(notPulled(await service.diagnostics(d)).length, 1);
  });
});
