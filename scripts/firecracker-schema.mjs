// Generates schemas/firecracker.schema.json (the JSON Schema of `firecracker --config-file`) from
// Firecracker's own API description, vendored in schemas/vendor/firecracker/firecracker.yaml.
//
//   node scripts/firecracker-schema.mjs           writes the schema
//   node scripts/firecracker-schema.mjs --check   fails when the committed schema is stale
//
// The API description says what each resource holds; the config file is read by Firecracker's
// serde structs, which add what the description leaves out. Those additions, each checked
// against Firecracker's Rust sources at the vendored commit, are:
// - the file is a `VmmConfig`: `boot-source` and `drives` are required (neither is an Option nor
//   defaulted), unknown top-level keys are ignored (no deny_unknown_fields there), and
//   `cpu-config` is a custom CPU template object or the path of a file holding one;
// - objects below the top level refuse unknown fields (deny_unknown_fields), except the few
//   structs without it (the OPEN list below);
// - a field that is an `Option` in Rust reads an explicit `null` as absent; other fields refuse it
//   (the NULLABLE list below);
// - the description misuses `format` for a regex and an integer width: both are dropped.
// The overlay (scripts/firecracker-schema.overlay.json) adds our editor hints per definition and
// property: longer descriptions, enum value descriptions, file-path markers, the `ht_enabled`
// to `smt` rename, and value checks Firecracker's code makes (MAC address form, interface name
// length, non-empty paths and ids).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = 'schemas/vendor/firecracker/firecracker.yaml';
const OVERLAY = 'scripts/firecracker-schema.overlay.json';
const TARGET = 'schemas/firecracker.schema.json';

/** Top-level keys that are `Option<_>` in `VmmConfig`. */
const NULLABLE_SECTIONS = new Set(['balloon', 'cpu-config', 'logger', 'machine-config', 'metrics', 'mmds-config', 'vsock', 'entropy', 'memory-hotplug']);
/** Fields (by definition) that are `Option<_>` in the Rust struct the config file is read into. */
const NULLABLE = {
  BootSource: ['boot_args', 'initrd_path'],
  Drive: ['partuuid', 'is_read_only', 'path_on_host', 'rate_limiter', 'io_engine', 'socket'],
  NetworkInterface: ['guest_mac', 'mtu', 'rx_rate_limiter', 'tx_rate_limiter'],
  MachineConfiguration: ['cpu_template'],
  Logger: ['log_path', 'level', 'show_level', 'show_log_origin', 'module'],
  Metrics: ['properties'],
  MmdsConfig: ['ipv4_address'],
  Vsock: ['vsock_id'],
  RateLimiter: ['bandwidth', 'ops'],
  TokenBucket: ['one_time_burst'],
  Pmem: ['rate_limiter'],
  EntropyDevice: ['rate_limiter'],
  Balloon: [],
};
/** Definitions whose Rust structs lack deny_unknown_fields: Firecracker skips unknown keys there. */
const OPEN = new Set(['Metrics', 'TokenBucket', 'CpuidLeafModifier', 'CpuidRegisterModifier', 'MsrModifier', 'ArmRegisterModifier', 'VcpuFeatures']);
const REQUIRED_SECTIONS = ['boot-source', 'drives'];
const DROPPED = new Set(['format', 'readOnly', 'example', 'x-nullable']);

function convert(s, defName, overlay) {
  const out = {};
  const add = overlay ?? {};
  for (const [k, v] of Object.entries(s)) {
    if (DROPPED.has(k)) continue;
    if (k === 'properties' || k === 'items' || k === 'additionalProperties') continue;
    out[k] = v;
  }
  if (s.example !== undefined) out.examples = [s.example];
  for (const [k, v] of Object.entries(add)) if (k !== 'properties' && k !== 'items') out[k] = v;
  if (s.items) out.items = convert(s.items, undefined, add.items);
  if (s.properties || add.properties) {
    out.properties = {};
    const required = new Set(s.required ?? []);
    const nullable = new Set(defName ? NULLABLE[defName] ?? [] : []);
    for (const [k, p] of Object.entries(s.properties ?? {})) {
      const c = convert(p, undefined, add.properties?.[k]);
      out.properties[k] = nullable.has(k) && !required.has(k) ? orNull(c) : c;
    }
    for (const [k, p] of Object.entries(add.properties ?? {})) if (!out.properties[k]) out.properties[k] = p;
  }
  if (s.additionalProperties !== undefined) out.additionalProperties = typeof s.additionalProperties === 'object' ? convert(s.additionalProperties) : s.additionalProperties;
  else if (out.type === 'object' && out.properties && !OPEN.has(defName)) out.additionalProperties = false;
  return out;
}

/** The same schema, also accepting `null` (serde reads it as absent). */
function orNull(c) {
  if (c.$ref) {
    const { $ref, ...rest } = c;
    return { ...rest, anyOf: [{ $ref }, { type: 'null' }] };
  }
  if (c.enum) {
    const { type, enum: values, enumDescriptions, ...rest } = c;
    return { ...rest, anyOf: [{ type, enum: values, ...(enumDescriptions ? { enumDescriptions } : {}) }, { type: 'null' }] };
  }
  if (c.anyOf) return { ...c, anyOf: [...c.anyOf, { type: 'null' }] };
  if (c.type) return { ...c, type: [].concat(c.type).concat('null') };
  return c;
}

/** Value descriptions need the values beside them: a described `$ref` to an enum gets the enum inline. */
function inlineEnumRef(p, definitions) {
  if (!p.enumDescriptions || p.enum) return;
  const holder = p.$ref ? p : p.anyOf?.find((b) => b.$ref);
  const target = holder && definitions[holder.$ref.replace('#/definitions/', '')];
  if (!target?.enum) return;
  delete holder.$ref;
  Object.assign(holder, { type: target.type, enum: target.enum, enumDescriptions: p.enumDescriptions });
  if (holder !== p) delete p.enumDescriptions;
  if (p.default === undefined && target.default !== undefined) p.default = target.default;
}

export function generateFirecrackerSchema(yamlText, overlay) {
  const api = YAML.parse(yamlText);
  const defs = api.definitions;
  const full = defs.FullVmConfiguration;
  const used = new Set();
  const visit = (s) => {
    if (!s || typeof s !== 'object') return;
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace('#/definitions/', '');
      if (!used.has(name)) {
        used.add(name);
        visit(defs[name]);
      }
    }
    for (const v of Object.values(s)) if (v && typeof v === 'object') visit(v);
  };
  visit(full);
  const definitions = {};
  for (const name of [...used].sort()) definitions[name] = convert(defs[name], name, overlay[name]);
  for (const d of Object.values(definitions)) for (const p of Object.values(d.properties ?? {})) inlineEnumRef(p, definitions);
  const top = overlay.FullVmConfiguration ?? {};
  const properties = {};
  for (const [k, p] of Object.entries(full.properties)) {
    let c = convert(p, undefined, top.properties?.[k]);
    if (k === 'cpu-config') {
      const { $ref, ...rest } = c;
      c = { ...rest, anyOf: [{ $ref }, { type: 'string', description: 'Path of a JSON file holding the custom CPU template.', 'x-path': 'file' }] };
    }
    properties[k] = NULLABLE_SECTIONS.has(k) ? orNull(c) : c;
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://isolation-spectrum.dev/schemas/firecracker.schema.json',
    title: 'Firecracker --config-file',
    description: `${top.description ?? 'The JSON file `firecracker --config-file` reads.'} Generated from Firecracker's API description ${api.info.version} by scripts/firecracker-schema.mjs.`,
    type: 'object',
    required: REQUIRED_SECTIONS,
    properties,
    definitions,
  };
}

export function firecrackerSchemaText() {
  const overlay = JSON.parse(readFileSync(path.join(root, OVERLAY), 'utf8'));
  return `${JSON.stringify(generateFirecrackerSchema(readFileSync(path.join(root, SOURCE), 'utf8'), overlay), null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = firecrackerSchemaText();
  if (process.argv.includes('--check')) {
    if (readFileSync(path.join(root, TARGET), 'utf8') !== text) {
      console.error(`${TARGET} is stale: run node scripts/firecracker-schema.mjs`);
      process.exit(1);
    }
  } else writeFileSync(path.join(root, TARGET), text);
}
