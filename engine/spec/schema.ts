// A checker for the subset of JSON Schema (draft-07) our schemas use, over the format-neutral
// tree, so every problem gets the exact range of the key or value at fault. Edits for fixes come
// from a format-specific `TreeEditor` (YAML and JSON insert and delete differently).
import type { LineIndex } from './lines';
import type { SpecDiagnostic, SpecEdit, SpecFix } from './types';
import type { PathSegment, TreeNode, TreeProperty } from './tree';

export interface JsonSchema {
  $ref?: string;
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  markdownDescription?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  enumDescriptions?: string[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  deprecated?: boolean;
  /** Our extension: the key was renamed; the checker offers the rename as a fix. */
  'x-renamedTo'?: string;
  /** Our extension: the value is a file path (completion and go to definition). */
  'x-path'?: 'file' | 'directory' | 'any';
  definitions?: Record<string, JsonSchema>;
}

export interface TreeEditor {
  removeProperty(parent: TreeNode, p: TreeProperty): SpecEdit;
  insertProperty(parent: TreeNode, key: string, valueText: string): SpecEdit;
  /** Text of a scalar value in this format (YAML plain scalars, JSON quoted strings). */
  literal(value: unknown): string;
}

export function resolveRef(root: JsonSchema, s: JsonSchema | undefined, depth = 0): JsonSchema | undefined {
  if (!s || !s.$ref || depth > 20) return s;
  const m = /^#\/(definitions|\$defs)\/(.+)$/.exec(s.$ref);
  const target = m ? root.definitions?.[m[2]] : undefined;
  return resolveRef(root, target, depth + 1);
}

function branches(root: JsonSchema, s: JsonSchema): JsonSchema[] {
  return (s.anyOf ?? s.oneOf ?? []).map((b) => resolveRef(root, b)).filter((b): b is JsonSchema => !!b);
}

/** The schema of the value at `path`, following properties, items and the first fitting branch. */
export function schemaAt(root: JsonSchema, path: PathSegment[]): JsonSchema | undefined {
  let s = resolveRef(root, root);
  for (const seg of path) {
    if (!s) return undefined;
    s = childSchema(root, s, seg);
  }
  return s;
}

export function childSchema(root: JsonSchema, s: JsonSchema, seg: PathSegment): JsonSchema | undefined {
  const direct = typeof seg === 'number' ? s.items : s.properties?.[seg] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
  if (direct) return resolveRef(root, direct);
  for (const b of branches(root, s)) {
    const c = childSchema(root, b, seg);
    if (c) return c;
  }
  return undefined;
}

/** Every object schema reachable through anyOf/oneOf (for key completion and hover). */
export function objectSchemas(root: JsonSchema, s: JsonSchema | undefined): JsonSchema[] {
  if (!s) return [];
  const r = resolveRef(root, s);
  if (!r) return [];
  const out: JsonSchema[] = r.properties ? [r] : [];
  for (const b of branches(root, r)) out.push(...objectSchemas(root, b));
  return out;
}

export function typeNames(s: JsonSchema): string[] {
  return s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
}

function kindMatches(type: string, node: TreeNode): boolean {
  switch (type) {
    case 'integer':
      return node.kind === 'number' && Number.isInteger(node.value);
    case 'number':
      return node.kind === 'number';
    default:
      return node.kind === type || node.kind === 'other';
  }
}

function kindName(node: TreeNode): string {
  if (node.kind === 'number' && Number.isInteger(node.value)) return 'integer';
  return node.kind;
}

export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const d: number[] = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const dd = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dd < bestD) {
      bestD = dd;
      best = c;
    }
  }
  return best;
}

/** A placeholder value for a key the user must add (the default, or a typed stand-in). */
export function placeholderFor(root: JsonSchema, s: JsonSchema | undefined, editor: TreeEditor): string {
  const r = resolveRef(root, s);
  if (!r) return '""';
  if (r.default !== undefined) return editor.literal(r.default);
  if (r.enum?.length) return editor.literal(r.enum[0]);
  if (r.examples?.length) return editor.literal(r.examples[0]);
  const t = typeNames(r)[0] ?? typeNames(branches(root, r)[0] ?? {})[0];
  switch (t) {
    case 'integer':
    case 'number':
      return String(r.minimum ?? 0);
    case 'boolean':
      return 'false';
    case 'object':
      return '{}';
    case 'array':
      return '[]';
    default:
      return '""';
  }
}

export class SchemaChecker {
  readonly out: SpecDiagnostic[] = [];

  constructor(
    private readonly root: JsonSchema,
    private readonly lines: LineIndex,
    private readonly editor: TreeEditor,
  ) {}

  check(node: TreeNode, anchor?: { start: number; end: number }): SpecDiagnostic[] {
    this.validate(node, this.root, anchor ?? { start: node.start, end: node.start }, this.out);
    return this.out;
  }

  private diag(out: SpecDiagnostic[], start: number, end: number, code: string, message: string, fixes?: SpecFix[], severity: SpecDiagnostic['severity'] = 'error'): void {
    out.push({ range: this.lines.range(start, end), severity, code, message, ...(fixes?.length ? { fixes } : {}) });
  }

  private validate(node: TreeNode, schema: JsonSchema | undefined, anchor: { start: number; end: number }, out: SpecDiagnostic[]): void {
    const s = resolveRef(this.root, schema);
    if (!s || node.kind === 'other') return;
    const alts = branches(this.root, s);
    if (alts.length) {
      const tries = alts.map((b) => {
        const o: SpecDiagnostic[] = [];
        this.validate(node, b, anchor, o);
        return { b, o };
      });
      if (tries.some((t) => t.o.length === 0)) return;
      const fitting = tries.find((t) => typeNames(t.b).some((ty) => kindMatches(ty, node)));
      if (fitting) out.push(...fitting.o);
      else {
        const expected = [...new Set(alts.flatMap((b) => (b.enum ? b.enum.map((e) => JSON.stringify(e)) : typeNames(b))))];
        this.diag(out, node.start, node.end, 'wrong-type', `Expected ${expected.join(' or ')}, got ${kindName(node)}.`);
      }
      return;
    }
    const types = typeNames(s);
    if (types.length && !types.some((t) => kindMatches(t, node))) {
      const fixes: SpecFix[] = [];
      if (types.includes('string') && (node.kind === 'number' || node.kind === 'boolean')) {
        fixes.push({ title: 'Quote the value', edits: [{ range: this.lines.range(node.start, node.end), newText: JSON.stringify(String(node.value)) }] });
      }
      this.diag(out, node.start, node.end, 'wrong-type', `Expected ${types.join(' or ')}, got ${kindName(node)}.`, fixes);
      return;
    }
    if (s.enum && !s.enum.some((e) => e === node.value)) {
      const shown = s.enum.map((e) => String(e));
      const near = typeof node.value === 'string' ? closest(node.value, shown) : undefined;
      const order = near ? [near, ...shown.filter((e) => e !== near)] : shown;
      const fixes = order.slice(0, 6).map((e) => ({
        title: `Change to ${e}`,
        edits: [{ range: this.lines.range(node.start, node.end), newText: this.editor.literal(s.enum?.find((x) => String(x) === e)) }],
      }));
      this.diag(out, node.start, node.end, 'bad-value', `${JSON.stringify(node.value)} is not one of: ${shown.join(', ')}.`, fixes);
      return;
    }
    if (s.const !== undefined && node.value !== s.const) {
      this.diag(out, node.start, node.end, 'bad-value', `Value must be ${JSON.stringify(s.const)}.`);
      return;
    }
    if (node.kind === 'number' && typeof node.value === 'number') {
      const v = node.value;
      if (s.minimum !== undefined && v < s.minimum) this.diag(out, node.start, node.end, 'out-of-range', `Must be at least ${s.minimum}.`);
      else if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) this.diag(out, node.start, node.end, 'out-of-range', `Must be more than ${s.exclusiveMinimum}.`);
      else if (s.maximum !== undefined && v > s.maximum) this.diag(out, node.start, node.end, 'out-of-range', `Must be at most ${s.maximum}.`);
    }
    if (node.kind === 'string' && typeof node.value === 'string') {
      const v = node.value;
      if (s.minLength !== undefined && v.length < s.minLength) this.diag(out, node.start, node.end, 'bad-format', s.minLength === 1 ? 'Must not be empty.' : `Must be at least ${s.minLength} characters.`);
      else if (s.maxLength !== undefined && v.length > s.maxLength) this.diag(out, node.start, node.end, 'bad-format', `Must be at most ${s.maxLength} characters.`);
      else if (s.pattern !== undefined && !safeTest(s.pattern, v)) this.diag(out, node.start, node.end, 'bad-format', `${JSON.stringify(v)} does not match the expected format${s.examples?.length ? ` (e.g. ${s.examples.map(String).join(', ')})` : ''}.`);
    }
    if (node.kind === 'array') {
      const items = node.items ?? [];
      if (s.minItems !== undefined && items.length < s.minItems) this.diag(out, node.start, node.end, 'out-of-range', `Needs at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}.`);
      else if (s.maxItems !== undefined && items.length > s.maxItems) this.diag(out, node.start, node.end, 'out-of-range', `At most ${s.maxItems} items.`);
      if (s.items) for (const it of items) this.validate(it, s.items, it, out);
    }
    if (node.kind === 'object') this.validateObject(node, s, anchor, out);
  }

  private validateObject(node: TreeNode, s: JsonSchema, anchor: { start: number; end: number }, out: SpecDiagnostic[]): void {
    const props = node.properties ?? [];
    const known = Object.keys(s.properties ?? {});
    const seen = new Set<string>();
    for (const p of props) {
      const ps = s.properties?.[p.key];
      if (seen.has(p.key)) {
        // The YAML parser reports duplicates itself; JSON parsers keep the last silently.
        this.diag(out, p.keyStart, p.keyEnd, 'duplicate-key', `Duplicate key "${p.key}".`, [{ title: `Remove the duplicate "${p.key}"`, edits: [this.editor.removeProperty(node, p)] }]);
        continue;
      }
      seen.add(p.key);
      if (ps) {
        const rs = resolveRef(this.root, ps);
        if (rs?.['x-renamedTo']) {
          const to = rs['x-renamedTo'];
          const fixes: SpecFix[] = props.some((q) => q.key === to)
            ? [{ title: `Remove "${p.key}" ("${to}" is already set)`, edits: [this.editor.removeProperty(node, p)] }]
            : [{ title: `Rename to "${to}"`, edits: [{ range: this.lines.range(p.keyStart, p.keyEnd), newText: this.keyText(p, to) }] }];
          this.diag(out, p.keyStart, p.keyEnd, 'renamed-key', `"${p.key}" was renamed to "${to}"; the old name is refused.`, fixes);
          continue;
        }
        this.validate(p.value, ps, { start: p.keyStart, end: p.keyEnd }, out);
      } else if (s.additionalProperties === false) {
        const near = closest(p.key, known.filter((k) => !props.some((q) => q.key === k)));
        const fixes: SpecFix[] = [];
        if (near) fixes.push({ title: `Change to "${near}"`, edits: [{ range: this.lines.range(p.keyStart, p.keyEnd), newText: this.keyText(p, near) }] });
        fixes.push({ title: `Remove "${p.key}"`, edits: [this.editor.removeProperty(node, p)] });
        this.diag(out, p.keyStart, p.keyEnd, 'unknown-key', `Unknown key "${p.key}".${near ? ` Did you mean "${near}"?` : ''}`, fixes);
      } else if (typeof s.additionalProperties === 'object') {
        this.validate(p.value, s.additionalProperties, { start: p.keyStart, end: p.keyEnd }, out);
      }
    }
    for (const req of s.required ?? []) {
      if (seen.has(req)) continue;
      const value = placeholderFor(this.root, s.properties?.[req], this.editor);
      this.diag(out, anchor.start, anchor.end, 'missing-key', `Missing required key "${req}".`, [
        { title: `Add "${req}"`, edits: [this.editor.insertProperty(node, req, value)] },
      ]);
    }
  }

  /** Keeps the key's quoting style when renaming. */
  private keyText(p: TreeProperty, to: string): string {
    const raw = this.lines.text.slice(p.keyStart, p.keyEnd);
    return raw.startsWith('"') ? JSON.stringify(to) : raw.startsWith("'") ? `'${to}'` : to;
  }
}

const patternCache = new Map<string, RegExp | null>();
function safeTest(pattern: string, v: string): boolean {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return re ? re.test(v) : true;
}
