// Documents nested far beyond any config: refused with one diagnostic instead of overflowing
// the parsers' stacks, and every feature still answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLanguageService } from '../../../language-server/service/index';
import { doc } from './helpers';

test('deep nesting in YAML (flow and block) and JSON is refused, never thrown', async () => {
  const svc = createLanguageService();
  const n = 20_000;
  const docs = [
    doc('a.sandbox.yaml', 'name: a\nenv: ' + '['.repeat(n) + ']'.repeat(n) + '\n'),
    doc('b.sandbox.yaml', 'name: a\n' + Array.from({ length: 600 }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n') + '\n'),
    doc('vm.firecracker.json', '{"boot-source": ' + '['.repeat(n) + ']'.repeat(n) + ', "drives": []}'),
    doc('config.json', '{"ociVersion": "1.0.2", "x": ' + '{"a":'.repeat(n) + '1' + '}'.repeat(n) + '}'),
  ];
  for (const d of docs) {
    // Not that the test would pass with a thrown error: name the document that threw.
    await check(d).catch((e: Error) => assert.fail(`${d.uri}: ${e.stack}`));
  }
  async function check(d: (typeof docs)[number]): Promise<void> {
    const diags = await svc.diagnostics(d);
    assert.deepEqual(diags.map((x) => x.code), ['too-deep'], d.uri);
    await svc.hover(d, { line: 1, character: 40 });
    await svc.completion(d, { line: 0, character: 20 });
    await svc.codeActions(d, diags[0].range, { diagnostics: [] });
    await svc.codeLenses(d);
    svc.documentSymbols(d);
    assert.deepEqual(svc.format(d, { tabSize: 2, insertSpaces: true }), []);
  }
});

test('a hundred levels are still fine', async () => {
  const svc = createLanguageService();
  const d = doc('a.sandbox.yaml', 'name: a\nisolation: container\nimage: busybox\ncommand: ' + '['.repeat(50) + ']'.repeat(50) + '\n');
  assert.ok(!(await svc.diagnostics(d)).some((x) => x.code === 'too-deep'));
});
