// The templates, snippets and examples the extension offers are valid specs for the engine.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadSpecFile, loadSpecText } from '../../../engine/spec/load';
import { ISOLATION_LEVELS } from '../../../engine/spec/types';
import { TEMPLATES, writeTemplate } from '../../../extension/templates';

const root = path.resolve(__dirname, '..', '..', '..');
const errors = (diags: { severity: string; message: string }[]) => diags.filter((d) => d.severity === 'error').map((d) => d.message);

/** A snippet body with every placeholder replaced by its default (first choice for choices). */
function expandSnippet(body: string[]): string {
  let text = body.join('\n');
  for (let i = 0; i < 10; i++) {
    const next = text
      .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
      .replace(/\$\{\d+:([^${}]*)\}/g, '$1')
      .replace(/\$\d+/g, '');
    if (next === text) break;
    text = next;
  }
  return text;
}

describe('offered specs', () => {
  test('a template for every level, each without error diagnostics', async () => {
    assert.deepEqual(Object.keys(TEMPLATES).sort(), [...ISOLATION_LEVELS].sort());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-templates-'));
    try {
      for (const level of ISOLATION_LEVELS) {
        const file = await writeTemplate(dir, level);
        const loaded = await loadSpecFile(file);
        assert.deepEqual(errors(loaded.diagnostics), [], `${level} template`);
        assert.equal(loaded.sandboxes[0]?.isolation, level);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a snippet for every level, each a valid spec once expanded', () => {
    const snippets = JSON.parse(readFileSync(path.join(root, 'snippets', 'sandbox.json'), 'utf8')) as Record<string, { body: string[] }>;
    const levels = new Set<string>();
    for (const [name, s] of Object.entries(snippets)) {
      const text = expandSnippet(s.body);
      const loaded = loadSpecText(text, path.join(root, 'snippets', 'x.sandbox.yaml'));
      assert.deepEqual(errors(loaded.diagnostics), [], `${name}:\n${text}`);
      const level = /^isolation: (\w+)/m.exec(text)?.[1];
      if (level) levels.add(level);
    }
    assert.deepEqual([...levels].sort(), [...ISOLATION_LEVELS].sort());
  });

  test('the examples opened by npm start load (the GPU one fails on purpose)', async () => {
    const dir = path.join(root, 'examples');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.sandbox.yaml'))) {
      const loaded = await loadSpecFile(path.join(dir, f));
      if (f.startsWith('gpu-on-microvm')) assert.ok(loaded.diagnostics.some((d) => d.code === 'gpu-on-microvm'), `${f} should show gpu-on-microvm`);
      else assert.deepEqual(errors(loaded.diagnostics), [], f);
    }
  });
});
