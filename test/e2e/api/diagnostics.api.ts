// Runs inside VS Code: the language server's diagnostic for a YAML syntax error, at its exact place.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { suite, test } from './runner';
import { fixtureUri } from './fixtures';
import { waitFor } from './wait';

suite('language server', () => {
  test('reports the YAML syntax error of broken.sandbox.yaml on line 4', async () => {
    const uri = fixtureUri('broken.sandbox.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length > 0 ? d : undefined;
    }, 'diagnostics on broken.sandbox.yaml');
    const syntax = diags.find((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'yaml-syntax');
    assert.ok(syntax, `no yaml-syntax diagnostic among: ${diags.map((d) => d.message).join(' | ')}`);
    assert.equal(syntax.severity, vscode.DiagnosticSeverity.Error);
    // `image: busybox: latest`: the nested mapping starts at the value, line 4 column 8 (1-based).
    assert.equal(syntax.range.start.line, 3);
    assert.equal(syntax.range.start.character, 7);
  });

  test('reports nothing for a valid spec', async () => {
    const uri = fixtureUri('hello.sandbox.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // The server publishes for every opened document; give it a moment, then expect no errors.
    await new Promise((r) => setTimeout(r, 1500));
    const errors = vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.map((d) => d.message), []);
  });
});
