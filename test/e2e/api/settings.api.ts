// Runs inside VS Code: the typed settings' defaults and scopes, and the untrusted-workspace limits.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, test } from './runner';
import { EXTENSION_ID } from './fixtures';

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

  test('the Sandboxes view lists what the engine knows (nothing yet)', async () => {
    const list = await vscode.commands.executeCommand<unknown[]>('isolationSpectrum.list');
    assert.ok(Array.isArray(list));
  });
});
