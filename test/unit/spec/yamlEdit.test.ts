import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../engine/spec/lines';
import { parseSpec } from '../../../engine/spec/parse';
import { prop } from '../../../engine/spec/tree';
import { YamlEditor, yamlLiteral } from '../../../engine/spec/yamlEdit';
import { applyEdits } from './edits';

function edit(text: string, f: (e: YamlEditor, root: ReturnType<typeof parseSpec>['documents'][number]['root']) => Parameters<typeof applyEdits>[1][number]): string {
  const spec = parseSpec(text);
  return applyEdits(text, [f(new YamlEditor(spec.lines), spec.documents[0]?.root ?? { kind: 'null', start: 0, end: 0 })]);
}

describe('YAML edits keep everything else', () => {
  test('remove a block key with its nested lines, keeping comments around it', () => {
    const text = '# head\nname: a # n\nresources:\n  cpus: 1\n  memory: 1Gi\nnetwork: none # net\n';
    assert.equal(edit(text, (e, r) => e.removeProperty(r, prop(r, 'resources')!)), '# head\nname: a # n\nnetwork: none # net\n');
  });

  test('remove from a flow map, first, middle and last', () => {
    const text = 'env: { A: a, B: b, C: c }\n';
    const env = (r: Parameters<Parameters<typeof edit>[1]>[1]) => prop(r, 'env')!.value;
    assert.equal(edit(text, (e, r) => e.removeProperty(env(r), prop(env(r), 'A')!)), 'env: { B: b, C: c }\n');
    assert.equal(edit(text, (e, r) => e.removeProperty(env(r), prop(env(r), 'B')!)), 'env: { A: a, C: c }\n');
    assert.equal(edit(text, (e, r) => e.removeProperty(env(r), prop(env(r), 'C')!)), 'env: { A: a, B: b }\n');
  });

  test('insert after the last key at its indentation, into flow maps, into an empty document', () => {
    assert.equal(edit('a: 1\nb:\n  c: 2\n', (e, r) => e.insertProperty(prop(r, 'b')!.value, 'd', '3')), 'a: 1\nb:\n  c: 2\n  d: 3\n');
    assert.equal(edit('a: 1', (e, r) => e.insertProperty(r, 'b', '2')), 'a: 1\nb: 2');
    assert.equal(edit('env: { A: a }\n', (e, r) => e.insertProperty(prop(r, 'env')!.value, 'B', 'b')), 'env: { A: a, B: b }\n');
    assert.equal(edit('', (e, r) => e.insertProperty(r, 'name', 'x')), 'name: x\n');
  });

  test('literals stay plain only when YAML would read them back as the same string', () => {
    assert.equal(yamlLiteral('busybox'), 'busybox');
    assert.equal(yamlLiteral('./w.js'), './w.js');
    assert.equal(yamlLiteral('true'), '"true"');
    assert.equal(yamlLiteral('8080'), '"8080"');
    assert.equal(yamlLiteral('a: b'), '"a: b"');
    assert.equal(yamlLiteral(3), '3');
  });

  test('positions count UTF-16 code units, as LSP does', () => {
    const lines = new LineIndex('é𝄞x\r\ny');
    assert.deepEqual(lines.positionAt(3), { line: 0, character: 3 });
    assert.deepEqual(lines.positionAt(6), { line: 1, character: 0 });
    assert.equal(lines.offsetAt({ line: 1, character: 99 }), 7);
  });
});
