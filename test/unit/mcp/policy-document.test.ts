// The language server on `.spectrum/agent-policy.yaml`: routed to the policy service (not the
// sandbox spec one), diagnostics at the bad values, hovers on settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../../language-server/service/index';

const doc = (text: string, uri = 'file:///ws/.spectrum/agent-policy.yaml') => TextDocument.create(uri, 'yaml', 1, text);

test('a policy document gets the policy diagnostics, at the value at fault', async () => {
  const ls = createLanguageService();
  const d = doc('minLevel: container\nmaxMemory: lots\nnetwork: [outbound, host]\n');
  assert.ok(ls.accepts(d));
  const diags = await ls.diagnostics(d);
  assert.deepEqual(
    diags.map((x) => [x.severity, x.range.start.line, x.range.start.character, x.range.end.character]),
    [[1, 1, 11, 15], [2, 2, 20, 24]],
  );
  assert.match(String(diags[0].message), /maxMemory must be a size/);
  assert.match(String(diags[1].message), /no network isolation/);
  assert.deepEqual(await ls.diagnostics(doc('minLevel: vm\nmaxSandboxes: 1\n')), []);
});

test('hover on a setting says what it bounds; other YAML files are not policies', async () => {
  const ls = createLanguageService();
  const h = await ls.hover(doc('maxLifetime: 10m\n'), { line: 0, character: 3 });
  assert.match(JSON.stringify(h?.contents), /torn down/);
  assert.ok(!ls.accepts(doc('minLevel: x\n', 'file:///ws/agent-policy.yaml')));
});
