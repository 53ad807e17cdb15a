// Runs inside VS Code: the knowledge-notes features over real LSP and the real Markdown preview
// engine. Fixtures: notes/lab-box.md and notes/gpu-plan.md in the test workspace.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixtureUri } from './fixtures';
import { suite, test } from './runner';
import { waitFor } from './wait';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

function positionOf(doc: vscode.TextDocument, needle: string, offset = 1): vscode.Position {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `"${needle}" not in ${doc.uri.path}`);
  return doc.positionAt(at + offset);
}

suite('knowledge notes', () => {
  test('hover on "PCI passthrough" in a note shows the built-in definition', async () => {
    const doc = await open('notes/lab-box.md');
    const text = await waitFor(async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'PCI passthrough', 4));
      const t = hoverText(hovers ?? []);
      return /PCI Passthrough/.test(t) ? t : undefined;
    }, 'a concept hover on "PCI passthrough"');
    assert.match(text, /real PCI device/);
  });

  test('a [[link]] goes to its note', async () => {
    const doc = await open('notes/gpu-plan.md');
    const defs = await waitFor(async () => {
      const d = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, '[[Lab Box]]', 3));
      return d && d.length ? d : undefined;
    }, 'a definition for [[Lab Box]]');
    const target = 'uri' in defs[0] ? defs[0].uri : defs[0].targetUri;
    assert.match(target.path, /notes\/lab-box\.md$/);
  });

  test('renaming a concept heading updates links in other files', async () => {
    const doc = await open('notes/lab-box.md');
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, new vscode.Position(0, 4), 'Test Bench');
    assert.ok(edit, 'no rename edit');
    const inPlan = edit.entries().find(([uri]) => uri.path.endsWith('notes/gpu-plan.md'));
    assert.ok(inPlan, `rename did not touch gpu-plan.md: ${edit.entries().map(([u]) => u.path).join(', ')}`);
    assert.deepEqual(inPlan[1].map((e) => e.newText), ['Test Bench']);
  });

  test('completion inside [[ offers concepts', async () => {
    const doc = await open('notes/gpu-plan.md');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, positionOf(doc, '[[NVProxy]]', 2), '[');
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('Lab Box') && labels.includes('Firecracker'), labels.slice(0, 20).join(', '));
  });

  test('a live block gets "Run in container" and "Run across the spectrum" lenses', async () => {
    const doc = await open('notes/lab-box.md');
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return l && l.some((x) => x.command?.command === 'isolationSpectrum.runBlock') ? l : undefined;
    }, 'run lenses on the live block');
    const titles = lenses.filter((l) => l.command?.command === 'isolationSpectrum.runBlock').map((l) => l.command?.title);
    assert.deepEqual(titles, ['▶ Run in container', 'Run across the spectrum']);
  });

  test('the Markdown preview renders a wiki link and a spectrum block', async () => {
    const html = await vscode.commands.executeCommand<string>('markdown.api.render', 'See [[PCI Passthrough]].\n\n```spectrum\ngvisor\n```\n');
    assert.match(html, /<a class="spectrum-wikilink" href="[^"]*pci-passthrough\.md#L1"/);
    assert.match(html, /<svg class="spectrum-ladder"/);
    assert.match(html, /spectrum-rung highlighted" data-level="gvisor"/);
  });
});
