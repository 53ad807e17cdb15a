// The shipped schemas are plain draft-07 JSON Schema that other tools can load: every $ref
// resolves, every keyword is one draft-07 knows (or our x- extensions and enumDescriptions,
// which tools ignore), enum descriptions line up, required keys exist.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkSpecText } from '../../../engine/spec/check';
import { firecrackerValidator } from '../../../language-server/service/firecracker/firecrackerValidator';
import { OCI_SCHEMA_FILES, ociValidator } from '../../../language-server/service/oci/ociValidator';
import { firecrackerSchemaText } from '../../../scripts/firecracker-schema.mjs';
import { ociSchemaText } from '../../../scripts/oci-schema.mjs';

const DRAFT7 = new Set(['$schema', '$id', '$ref', 'title', 'description', 'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'default', 'examples', 'minimum', 'maximum', 'exclusiveMinimum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'anyOf', 'oneOf', 'not', 'definitions', 'deprecated']);
const OURS = new Set(['enumDescriptions', 'x-renamedTo', 'x-path']);
const TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

type S = Record<string, unknown>;

function walk(root: S, s: S, where: string, seen: string[]): void {
  for (const k of Object.keys(s)) assert.ok(DRAFT7.has(k) || OURS.has(k), `${where}: unknown keyword ${k}`);
  if (typeof s.$ref === 'string') {
    const m = /^#\/definitions\/(.+)$/.exec(s.$ref);
    assert.ok(m && (root.definitions as S)?.[m[1]], `${where}: $ref ${s.$ref} does not resolve`);
  }
  for (const t of ([] as unknown[]).concat(s.type ?? [])) assert.ok(TYPES.has(String(t)), `${where}: type ${String(t)}`);
  if (s.enumDescriptions) assert.equal((s.enumDescriptions as unknown[]).length, (s.enum as unknown[]).length, `${where}: enumDescriptions`);
  for (const r of (s.required as string[] | undefined) ?? []) assert.ok((s.properties as S | undefined)?.[r], `${where}: required ${r} is not a property`);
  if (typeof s.pattern === 'string') new RegExp(s.pattern, 'u');
  for (const [k, v] of Object.entries((s.properties as S) ?? {})) walk(root, v as S, `${where}.${k}`, seen);
  for (const [k, v] of Object.entries((s.definitions as S) ?? {})) walk(root, v as S, `${where}#${k}`, seen);
  if (s.items) walk(root, s.items as S, `${where}[]`, seen);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(root, s.additionalProperties as S, `${where}{}`, seen);
  for (const b of [...((s.anyOf as S[]) ?? []), ...((s.oneOf as S[]) ?? [])]) walk(root, b, `${where}|`, seen);
  seen.push(where);
}

describe('schemas', () => {
  for (const file of ['sandbox.schema.json', 'firecracker.schema.json', 'oci-config.schema.json']) {
    test(`${file} is self-consistent draft-07`, () => {
      const s = JSON.parse(readFileSync(path.join(__dirname, '../../../schemas', file), 'utf8')) as S;
      assert.equal(s.$schema, 'http://json-schema.org/draft-07/schema#');
      const seen: string[] = [];
      walk(s, s, file, seen);
      assert.ok(seen.length > 10);
    });
  }

  test('firecracker.schema.json is what the generator makes from the vendored API description', () => {
    const committed = readFileSync(path.join(__dirname, '../../../schemas/firecracker.schema.json'), 'utf8');
    assert.ok(committed === firecrackerSchemaText(), 'stale: run node scripts/firecracker-schema.mjs');
    const validate = firecrackerValidator();
    assert.equal(validate({ 'boot-source': { kernel_image_path: 'vmlinux' }, drives: [] }), true);
    assert.equal(validate({ 'boot-source': { kernel_image_path: 'vmlinux' } }), false);
  });

  test('oci-config.schema.json is the runtime-spec schemas bundled, with every overlay path found', () => {
    const committed = readFileSync(path.join(__dirname, '../../../schemas/oci-config.schema.json'), 'utf8');
    const { text, misses } = ociSchemaText();
    assert.ok(committed === text, 'stale: run node scripts/oci-schema.mjs');
    assert.deepEqual(misses, []);
  });

  test('the vendored runtime-spec schemas compile, resolve each other and judge', () => {
    const dir = path.join(__dirname, '../../../schemas/vendor/oci-runtime-spec');
    const vendored = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    assert.deepEqual(vendored, Object.keys(OCI_SCHEMA_FILES).sort(), 'every vendored schema file is registered');
    for (const f of vendored) assert.ok([undefined, 'http://json-schema.org/draft-04/schema#'].includes((JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as S).$schema as string | undefined), `${f} is draft-04`);
    const validate = ociValidator();
    assert.equal(validate({ ociVersion: '1.0.0', root: { path: 'rootfs' } }), true);
    assert.equal(validate({ ociVersion: '1.0.0', linux: { netDevices: { eth0: { name: 23 } } } }), false);
    assert.equal(validate.errors?.[0]?.instancePath, '/linux/netDevices/eth0/name');
  });

  test('the DESIGN example spec is clean', () => {
    const text = `name: hello                  # unique per file; ids are <name>-<6 hex>
isolation: gvisor            # isolate | container | gvisor | microvm | vm
image: busybox               # see below
command: [/bin/sh, -c, "uname -a"]
env: { GREETING: hi }
mounts: [{ source: ./data, target: /data }]     # read-only unless writable: true
resources: { cpus: 1, memory: 128Mi, pids: 64 } # memory in Ki/Mi/Gi
network: none                # none (default: loopback only) | outbound | host (warned: no isolation)
readonly: true               # root filesystem read-only (default true)
timeout: 30s
gvisor: { platform: auto }   # auto | systrap | ptrace | kvm
gpu: none                    # none | all | [indexes]
---
name: edge
isolation: isolate
worker: ./edge.worker.js     # isolates run JS/Wasm modules, not binaries
compatibilityDate: 2025-01-01
`;
    assert.deepEqual(checkSpecText(text).diagnostics, []);
  });

  test('cut-and-cached checking gives the same answers as checking each document alone', () => {
    const a = 'name: a\nisolation: microvm\nimage: busybox\ngpu: all\n';
    const b = 'name: b\nisolation: isolate\ncommand: [ls]\n';
    const whole = checkSpecText(`${a}---\n${b}`);
    const alone = checkSpecText(b);
    const shifted = whole.diagnostics.filter((d) => d.range.start.line >= 5).map((d) => ({ ...d, range: { start: { ...d.range.start, line: d.range.start.line - 5 }, end: { ...d.range.end, line: d.range.end.line - 5 } } }));
    assert.deepEqual(shifted.map((d) => [d.code, d.range]), alone.diagnostics.map((d) => [d.code, d.range]));
    assert.equal(whole.checked[1].doc.index, 1);
    assert.equal(whole.text.slice(whole.checked[1].doc.root.start, whole.checked[1].doc.root.start + 7), 'name: b');
  });
});
