// The wired server over an in-memory connection pair, talking LSP as an editor does.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { CodeLens, Diagnostic, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { startServer } from '../../../language-server/server';
import { RunningSandboxesNotification } from '../../../language-server/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImageStore } from '../../../engine/images/store';
import { storeCatalog } from '../../../language-server/service/sandbox/imageCatalog';
import { memoryFs } from './helpers';

const URI = 'file:///ws/a.sandbox.yaml';
const TEXT = 'name: g\nisolation: microvm\nimage: busybox\ngpu: all\n';

describe('language server over an in-memory connection', () => {
  let client: ProtocolConnection;
  const configRequests: unknown[] = [];
  const diagnostics: PublishDiagnosticsParams[] = [];
  let lensRefreshes = 0;
  let waiters: (() => void)[] = [];
  // The server's image store: a real (empty) one in a temp cache, looked at every 50 ms.
  const cache = mkdtempSync(path.join(os.tmpdir(), 'spectrum-lsp-protocol-'));
  const catalog = storeCatalog(cache);
  const images = { ...catalog, onDidChange: (l: () => void) => catalog.onDidChange(l, 50) };
  const notify = () => {
    waiters.forEach((w) => w());
    waiters = [];
  };
  const until = async (cond: () => boolean, what: string) => {
    const deadline = Date.now() + 5000;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
  };

  before(async () => {
    const up = new PassThrough();
    const down = new PassThrough();
    const server = createConnection(ProposedFeatures.all, new StreamMessageReader(up), new StreamMessageWriter(down));
    startServer(server, memoryFs(['edge.worker.js']), images);
    client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
    client.onRequest('workspace/configuration', (p: { items: unknown[] }) => {
      configRequests.push(...p.items);
      return p.items.map(() => ({}));
    });
    client.onRequest('client/registerCapability', () => null);
    client.onRequest('workspace/workspaceFolders', () => null);
    client.onRequest('workspace/codeLens/refresh', () => {
      lensRefreshes++;
      notify();
      return null;
    });
    client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      diagnostics.push(p);
      notify();
    });
    client.listen();
    const init = (await client.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      capabilities: { workspace: { configuration: true, codeLens: { refreshSupport: true } } },
    })) as { capabilities: Record<string, unknown> };
    assert.ok(init.capabilities.hoverProvider);
    await client.sendNotification('initialized', {});
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'sandbox', version: 1, text: TEXT } });
  });

  after(() => {
    client.dispose();
    rmSync(cache, { recursive: true, force: true });
  });

  test('publishes diagnostics after pulling settings for that resource', async () => {
    await until(() => diagnostics.some((d) => d.uri === URI), 'diagnostics');
    const d = diagnostics.filter((x) => x.uri === URI).pop() as PublishDiagnosticsParams;
    assert.deepEqual(d.diagnostics.map((x: Diagnostic) => x.code), ['gpu-on-microvm']);
    assert.ok(configRequests.some((c) => (c as { scopeUri?: string }).scopeUri === URI && (c as { section?: string }).section === 'isolationSpectrum'));
  });

  test('hover, completion, code actions, symbols, formatting answer', async () => {
    const hover = (await client.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: 1, character: 13 } })) as Hover;
    assert.match((hover.contents as { value: string }).value, /microVM/);
    const completion = (await client.sendRequest('textDocument/completion', { textDocument: { uri: URI }, position: { line: 1, character: 11 } })) as { items: { label: string }[] };
    assert.ok(completion.items.some((i) => i.label === 'gvisor'));
    const actions = (await client.sendRequest('textDocument/codeAction', { textDocument: { uri: URI }, range: { start: { line: 3, character: 5 }, end: { line: 3, character: 8 } }, context: { diagnostics: [] } })) as { title: string }[];
    assert.ok(actions.some((a) => /gvisor/.test(a.title)));
    const symbols = (await client.sendRequest('textDocument/documentSymbol', { textDocument: { uri: URI } })) as { name: string }[];
    assert.deepEqual(symbols.map((s) => s.name), ['g']);
    const edits = await client.sendRequest('textDocument/formatting', { textDocument: { uri: URI }, options: { tabSize: 2, insertSpaces: true } });
    assert.deepEqual(edits, []);
  });

  test('an edit that fixes the spec clears its diagnostics', async () => {
    const before = diagnostics.length;
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: [{ range: { start: { line: 1, character: 11 }, end: { line: 1, character: 18 } }, text: 'vm' }] });
    await until(() => diagnostics.length > before && diagnostics[diagnostics.length - 1].version === 2, 'new diagnostics');
    assert.deepEqual(diagnostics[diagnostics.length - 1].diagnostics, []);
  });

  test('running sandboxes from the client refresh the lenses and add Inspect / Tear Down', async () => {
    const lenses = (await client.sendRequest('textDocument/codeLens', { textDocument: { uri: URI } })) as CodeLens[];
    assert.deepEqual(lenses.map((l) => l.command?.command), ['isolationSpectrum.launch', 'isolationSpectrum.compareAcrossSpectrum']);
    await client.sendNotification(RunningSandboxesNotification, { sandboxes: [{ id: 'g-abcdef', name: 'g', isolation: 'vm', specUri: URI }] });
    await until(() => lensRefreshes > 0, 'code lens refresh');
    const after = (await client.sendRequest('textDocument/codeLens', { textDocument: { uri: URI } })) as CodeLens[];
    assert.deepEqual(after.map((l) => l.command?.command), ['isolationSpectrum.launch', 'isolationSpectrum.compareAcrossSpectrum', 'isolationSpectrum.inspect', 'isolationSpectrum.tearDown']);
    assert.deepEqual(after[2].command?.arguments, [{ uri: URI, name: 'g' }]);
  });

  test('an image not in the store: information diagnostic and Pull quick fix; a pull elsewhere clears it unedited', async () => {
    const uri = 'file:///ws/img.sandbox.yaml';
    const last = () => diagnostics.filter((d) => d.uri === uri).pop();
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sandbox', version: 1, text: 'name: p\nisolation: container\nimage: python:3.12-slim\n' } });
    await until(() => last() !== undefined, 'image diagnostics');
    const [info] = last()!.diagnostics;
    assert.equal(info?.code, 'image-not-pulled');
    assert.equal(info.severity, 3);
    const actions = (await client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: info.range, context: { diagnostics: [info] } })) as { title: string; command?: { command: string; arguments?: unknown[] } }[];
    const pull = actions.find((a) => a.title === 'Pull python:3.12-slim');
    assert.deepEqual(pull?.command, { title: 'Pull python:3.12-slim', command: 'isolationSpectrum.pullImage', arguments: ['python:3.12-slim'] });
    // The store changes under the server (a CLI pull): the record the pull saves.
    const digest = `sha256:${'a'.repeat(64)}`;
    new ImageStore(cache).saveRecord({ name: 'docker.io/library/python:3.12-slim', manifestDigest: digest, configDigest: digest, layers: [], size: 0, platform: 'linux/amd64', pulledAt: new Date().toISOString() });
    await until(() => last()!.diagnostics.length === 0, 'the hint to clear after the pull');
  });

  test('survives garbage requests', async () => {
    const r = await client.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///not-open.sandbox.yaml' }, position: { line: 0, character: 0 } });
    assert.equal(r, null);
    const bad = await client.sendRequest('textDocument/completion', { textDocument: { uri: URI }, position: { line: -5, character: 1e9 } });
    assert.ok(bad === null || typeof bad === 'object');
    await client.sendNotification(RunningSandboxesNotification, { sandboxes: 'nonsense' } as never);
    const still = (await client.sendRequest('textDocument/documentSymbol', { textDocument: { uri: URI } })) as unknown[];
    assert.equal(still.length, 1);
  });
});
