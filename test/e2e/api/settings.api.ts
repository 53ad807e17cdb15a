// Runs inside VS Code: the typed settings' defaults and scopes, the untrusted-workspace limits, and
// the Sandboxes view's data against the engine's own list.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { suite, test } from './runner';
import { EXTENSION_ID } from './fixtures';
import { waitFor } from './wait';

const execFileAsync = promisify(execFile);

interface Listed {
  id: string;
  name: string;
  isolation: string;
  state: string;
  owner: string;
}

const MACHINE = [
  'runtimePaths.workerd',
  'runtimePaths.runc',
  'runtimePaths.runsc',
  'runtimePaths.qemu',
  'runtimePaths.firecracker',
  'stateDirectory',
  'kernelPath',
];

suite('settings', () => {
  test('defaults: level container, tear down on close, empty paths', () => {
    const c = vscode.workspace.getConfiguration('isolationSpectrum');
    assert.equal(c.get('defaultIsolation'), 'container');
    assert.equal(c.get('tearDownOnClose'), true);
    for (const key of MACHINE) assert.equal(c.get(key), '', key);
  });

  test('runtime paths, state directory and kernel path are machine-scoped and restricted when untrusted', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON;
    assert.ok(pkg);
    const props = pkg.contributes.configuration.properties as Record<string, { scope?: string }>;
    for (const key of MACHINE) assert.equal(props[`isolationSpectrum.${key}`]?.scope, 'machine', key);
    const untrusted = pkg.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual([...untrusted.restrictedConfigurations].sort(), MACHINE.map((k) => `isolationSpectrum.${k}`).sort());
  });

  test('the Sandboxes view lists what the engine knows: the same ids, then a sandbox the CLI launched', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    // The extension's own CLI with this extension host's environment (the same state folder);
    // ELECTRON_RUN_AS_NODE lets a desktop VS Code's executable run it as plain Node.
    const cliJs = path.join(ext.extensionPath, 'dist', 'cli.js');
    const spectrum = async (...args: string[]) =>
      (await execFileAsync(process.execPath, [cliJs, ...args], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 60_000 })).stdout;
    const list = async () => (await vscode.commands.executeCommand<Listed[]>('isolationSpectrum.list')) ?? [];
    const ids = (xs: Listed[]) => xs.map((x) => x.id).sort();

    assert.deepEqual(ids(await list()), ids(JSON.parse(await spectrum('ps', '--json')) as Listed[]));

    const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-api-list-'));
    const file = path.join(dir, 'probe.sandbox.yaml');
    writeFileSync(file, 'name: list-probe\nisolation: container\nimage: busybox\ncommand: [/bin/sh, -c, "sleep 600"]\n');
    let id: string | undefined;
    try {
      const [launched] = JSON.parse(await spectrum('up', file, '--json')) as Listed[];
      id = launched.id;
      const shown = await waitFor(async () => (await list()).find((s) => s.id === id), `the view to list ${id}, launched by the CLI`);
      assert.equal(shown.name, 'list-probe');
      assert.equal(shown.isolation, 'container');
      assert.equal(shown.state, 'running');
      assert.equal(shown.owner, 'cli');
    } finally {
      if (id) await spectrum('down', id);
      rmSync(dir, { recursive: true, force: true });
    }
    await waitFor(async () => ((await list()).some((s) => s.id === id) ? undefined : true), `the view to drop ${id} after down`);
  }, 120_000);
});
