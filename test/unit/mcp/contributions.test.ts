// package.json declares the language-model tools with the same names and JSON Schemas the tools
// enforce (made from the one zod table), every schema strict; and the policy's JSON Schema names
// the settings the parser knows, with its defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { languageModelToolContributions } from '../../../engine/mcp/tool-contributions';
import { DEFAULT_POLICY, parsePolicy } from '../../../engine/mcp/policy';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

test('package.json languageModelTools equal the tool table, each input schema strict', () => {
  assert.deepEqual(pkg.contributes.languageModelTools, languageModelToolContributions());
  for (const t of pkg.contributes.languageModelTools) assert.equal(t.inputSchema.additionalProperties, false, t.name);
  assert.deepEqual(pkg.contributes.mcpServerDefinitionProviders.map((p: { id: string }) => p.id), ['isolationSpectrum.mcp']);
});

test('the policy JSON Schema: the parser\'s settings, and defaults that parse to DEFAULT_POLICY', () => {
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'agent-policy.schema.json'), 'utf8'));
  assert.equal(schema.additionalProperties, false);
  const defaults = Object.entries(schema.properties as Record<string, { default: unknown }>).map(([k, v]) => `${k}: ${JSON.stringify(v.default)}`).join('\n');
  const parsed = parsePolicy(defaults);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.policy, DEFAULT_POLICY);
});
