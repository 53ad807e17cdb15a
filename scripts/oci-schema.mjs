// Generates schemas/oci-config.schema.json, the schema completion and hover read for OCI bundle
// configs, from the runtime-spec's own schema files vendored in schemas/vendor/oci-runtime-spec/.
//
//   node scripts/oci-schema.mjs           writes the schema
//   node scripts/oci-schema.mjs --check   fails when the committed schema is stale
//
// Diagnostics come from the vendored files themselves (ajv, draft-04); this one file is for the
// editor: the upstream files bundled into one draft-07 document (cross-file $refs become local
// definitions, allOf merged, the string-map patternProperties read as additionalProperties), with
// our overlay (scripts/oci-schema.overlay.json) laid on by path: descriptions, value lists for
// completion (capabilities, rlimits, ...) and their descriptions. Where the overlay describes a
// node that is a shared definition, that node is copied first, so a description of `args` never
// lands on every other array of strings.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VENDOR = 'schemas/vendor/oci-runtime-spec';
const OVERLAY = 'scripts/oci-schema.overlay.json';
const TARGET = 'schemas/oci-config.schema.json';
const ANNOTATIONS = ['description', 'markdownDescription', 'examples', 'default', 'x-path', 'deprecated'];

const defKey = (file, name) => `${file.replace(/\.json$/, '')}.${name}`;

/** One vendored file's schema with its $refs made local to the bundle. */
function localise(s, file) {
  if (Array.isArray(s)) return s.map((x) => localise(x, file));
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$schema' || k === 'id') continue;
    if (k === '$ref') {
      const [target, fragment] = v.split('#');
      const f = target || file;
      // `file#/definitions/X` and `file#/X` (a platform file's top-level section) both become local.
      out.$ref = `#/definitions/${defKey(f, (fragment ?? '').replace(/^\/(definitions\/)?/, ''))}`;
    } else if (k === 'properties' || k === 'definitions') {
      out[k] = Object.fromEntries(Object.entries(v).map(([p, x]) => [p, localise(x, file)]));
    } else if (k === 'patternProperties') {
      // The only use is a map of non-empty keys to strings.
      out.additionalProperties = localise(Object.values(v)[0], file);
    } else if (k === 'exclusiveMinimum' || k === 'exclusiveMaximum') {
      if (v === true) out[k] = s[k === 'exclusiveMinimum' ? 'minimum' : 'maximum'];
    } else out[k] = localise(v, file);
  }
  if (s.exclusiveMinimum === true) delete out.minimum;
  if (s.exclusiveMaximum === true) delete out.maximum;
  if (out.allOf) {
    for (const part of out.allOf) mergeInto(out, part);
    delete out.allOf;
  }
  return out;
}

function mergeInto(out, part) {
  if (part.$ref) {
    out.anyOf = [...(out.anyOf ?? []), { $ref: part.$ref }];
    return;
  }
  if (part.properties) out.properties = { ...(out.properties ?? {}), ...part.properties };
  if (part.required) out.required = [...new Set([...(out.required ?? []), ...part.required])];
  if (part.type && !out.type) out.type = part.type;
}

function resolve(bundle, s) {
  let r = s;
  for (let i = 0; r?.$ref && i < 20; i++) r = bundle.definitions[r.$ref.replace('#/definitions/', '')];
  return r;
}

/** Lays the overlay node `o` onto the schema at `holder[key]`, copying shared definitions first. */
function overlayAt(bundle, holder, key, o, where, misses) {
  let s = holder[key];
  if (s.$ref) {
    const target = resolve(bundle, s);
    if (!target) return;
    s = holder[key] = structuredClone(target);
  }
  for (const k of ANNOTATIONS) if (o[k] !== undefined) s[k] = o[k];
  if (o.enum) {
    const upstream = s.enum ?? [];
    const extra = upstream.filter((v) => !o.enum.includes(v));
    s.enum = [...o.enum, ...extra];
    if (o.enumDescriptions) s.enumDescriptions = [...o.enumDescriptions, ...extra.map(() => '')];
    if (!s.type && typeof o.enum[0] === 'string') s.type = 'string';
  }
  for (const [k, child] of Object.entries(o.properties ?? {})) {
    const objects = [s, ...(s.anyOf ?? []).map((b) => resolve(bundle, b))].filter((x) => x?.properties?.[k]);
    if (!objects.length) misses.push(`${where}.${k}`);
    else overlayAt(bundle, objects[0].properties, k, child, `${where}.${k}`, misses);
  }
  if (o.items) {
    if (s.items) overlayAt(bundle, s, 'items', o.items, `${where}[]`, misses);
    else misses.push(`${where}[]`);
  }
  if (o.additionalProperties) {
    if (s.additionalProperties && typeof s.additionalProperties === 'object') overlayAt(bundle, s, 'additionalProperties', o.additionalProperties, `${where}{}`, misses);
    else misses.push(`${where}{}`);
  }
}

export function generateOciSchema(files, overlay) {
  const definitions = {};
  for (const [file, schema] of Object.entries(files)) {
    if (file === 'config-schema.json') continue;
    for (const [name, d] of Object.entries(schema.definitions ?? {})) definitions[defKey(file, name)] = localise(d, file);
    for (const [name, section] of Object.entries(schema)) {
      if (section && typeof section === 'object' && !['definitions', 'properties', '$schema'].includes(name)) definitions[defKey(file, name)] = localise(section, file);
    }
  }
  const top = localise(files['config-schema.json'], 'config-schema.json');
  const bundle = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://isolation-spectrum.dev/schemas/oci-config.schema.json',
    title: 'OCI runtime bundle config.json',
    ...top,
    definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))),
  };
  const misses = [];
  const holder = { root: bundle };
  overlayAt(bundle, holder, 'root', overlay, '', misses);
  bundle.description = `${overlay.description} Generated from the runtime-spec's schema files by scripts/oci-schema.mjs.`;
  return { schema: holder.root, misses };
}

export function ociSchemaText() {
  const dir = path.join(root, VENDOR);
  const files = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8'))]));
  const { schema, misses } = generateOciSchema(files, JSON.parse(readFileSync(path.join(root, OVERLAY), 'utf8')));
  return { text: `${JSON.stringify(schema, null, 2)}\n`, misses };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { text, misses } = ociSchemaText();
  for (const m of misses) console.warn(`overlay path not in the runtime-spec schema: ${m}`);
  if (process.argv.includes('--check')) {
    if (readFileSync(path.join(root, TARGET), 'utf8') !== text) {
      console.error(`${TARGET} is stale: run node scripts/oci-schema.mjs`);
      process.exit(1);
    }
  } else writeFileSync(path.join(root, TARGET), text);
}
