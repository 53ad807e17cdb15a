// Judging a JSON config with a maintained validator (ajv) and reporting each problem on the exact
// key or value at fault: ajv's instance paths are mapped back onto our source tree, and each
// error becomes one diagnostic in the wording and with the quick fixes the editor offers.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { LineIndex } from '../../../engine/spec/lines';
import { closest, placeholderFor, schemaAt, type JsonSchema, type TreeEditor } from '../../../engine/spec/schema';
import { toValue, type PathSegment, type TreeNode, type TreeProperty } from '../../../engine/spec/tree';
import type { SpecDiagnostic, SpecFix } from '../../../engine/spec/types';

export interface ValidationInput {
  root: TreeNode;
  lines: LineIndex;
  editor: TreeEditor;
  /** The schema completion and hover use: placeholders for missing keys come from it. */
  editorSchema: JsonSchema;
}

interface Located {
  node: TreeNode;
  path: PathSegment[];
  /** The property holding the node, when it is an object's value. */
  property?: TreeProperty;
}

function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The node at an ajv instance path; duplicate keys resolve to the last, as JSON.parse keeps it. */
function locatePointer(root: TreeNode, pointer: string): Located | undefined {
  let here: Located = { node: root, path: [] };
  for (const seg of pointerSegments(pointer)) {
    const n = here.node;
    if (n.kind === 'object') {
      const p = [...(n.properties ?? [])].reverse().find((q) => q.key === seg);
      if (!p) return undefined;
      here = { node: p.value, path: [...here.path, seg], property: p };
    } else if (n.kind === 'array') {
      const item = n.items?.[Number(seg)];
      if (!item) return undefined;
      here = { node: item, path: [...here.path, Number(seg)] };
    } else return undefined;
  }
  return here;
}

function kindName(node: TreeNode): string {
  if (node.kind === 'number' && Number.isInteger(node.value)) return 'integer';
  return node.kind;
}

const COMBINERS = new Set(['anyOf', 'oneOf']);

/**
 * With allErrors, ajv reports a failed anyOf/oneOf as the errors of every branch followed by one
 * summary error. The branches that refused the value's kind are noise: keep the errors of the
 * branches that fit it, or, when none fits, the summary alone (a wrong type).
 */
function collapseBranches(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (!COMBINERS.has(e.keyword) || (e.keyword === 'oneOf' && (e.params as { passingSchemas?: unknown }).passingSchemas)) {
      out.push(e);
      continue;
    }
    const at = e.instancePath;
    let i = out.length;
    while (i > 0 && (out[i - 1].instancePath === at || out[i - 1].instancePath.startsWith(`${at}/`))) i--;
    const run = out.splice(i);
    const kindMisses = run.filter((x) => x.instancePath === at && x.keyword === 'type');
    const rest = run.filter((x) => !kindMisses.includes(x));
    if (rest.length) out.push(...rest);
    else out.push({ ...e, params: { ...e.params, expected: [...new Set(kindMisses.flatMap((x) => String((x.params as { type: string }).type).split(',')))] } });
  }
  return out;
}

export function validateTree(validate: ValidateFunction, input: ValidationInput): SpecDiagnostic[] {
  const { root, lines, editor } = input;
  const out: SpecDiagnostic[] = [];
  const diag = (start: number, end: number, code: string, message: string, fixes?: SpecFix[]) => out.push({ range: lines.range(start, end), severity: 'error', code, message, ...(fixes?.length ? { fixes } : {}) });
  duplicateKeys(root, input, out);
  if (validate(toValue(root))) return out;
  const seen = new Set<string>();
  for (const e of collapseBranches(validate.errors ?? [])) {
    const at = locatePointer(root, e.instancePath);
    if (!at) continue;
    const n = at.node;
    const parent = e.parentSchema as JsonSchema | undefined;
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    switch (e.keyword) {
      case 'required': {
        const req = (e.params as { missingProperty: string }).missingProperty;
        const anchor = at.property ? { start: at.property.keyStart, end: at.property.keyEnd } : at.path.length ? { start: n.start, end: n.end } : { start: n.start, end: n.start + 1 };
        const value = placeholderFor(input.editorSchema, schemaAt(input.editorSchema, [...at.path, req]) ?? parent?.properties?.[req], editor);
        diag(anchor.start, anchor.end, 'missing-key', `Missing required key "${req}".`, [{ title: `Add "${req}"`, edits: [editor.insertProperty(n, req, value)] }]);
        break;
      }
      case 'additionalProperties': {
        const name = (e.params as { additionalProperty: string }).additionalProperty;
        const p = [...(n.properties ?? [])].reverse().find((q) => q.key === name);
        if (!p) break;
        const present = new Set((n.properties ?? []).map((q) => q.key));
        const near = closest(name, Object.keys(parent?.properties ?? {}).filter((k) => !present.has(k)));
        const fixes: SpecFix[] = [];
        if (near) fixes.push({ title: `Change to "${near}"`, edits: [{ range: lines.range(p.keyStart, p.keyEnd), newText: JSON.stringify(near) }] });
        fixes.push({ title: `Remove "${name}"`, edits: [editor.removeProperty(n, p)] });
        diag(p.keyStart, p.keyEnd, 'unknown-key', `Unknown key "${name}".${near ? ` Did you mean "${near}"?` : ''}`, fixes);
        break;
      }
      case 'type': {
        const want = String((e.params as { type: string }).type).split(',');
        const fixes: SpecFix[] = [];
        if (want.includes('string') && (n.kind === 'number' || n.kind === 'boolean')) fixes.push({ title: 'Quote the value', edits: [{ range: lines.range(n.start, n.end), newText: JSON.stringify(String(n.value)) }] });
        diag(n.start, n.end, 'wrong-type', `Expected ${want.join(' or ')}, got ${kindName(n)}.`, fixes);
        break;
      }
      case 'anyOf':
      case 'oneOf': {
        const expected = (e.params as { expected?: string[] }).expected;
        if (expected?.length) diag(n.start, n.end, 'wrong-type', `Expected ${expected.join(' or ')}, got ${kindName(n)}.`);
        else diag(n.start, n.end, 'bad-value', e.keyword === 'oneOf' ? 'Matches more than one of the allowed forms.' : 'Matches none of the allowed forms.');
        break;
      }
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
        const shown = allowed.map((v) => String(v));
        const near = typeof n.value === 'string' ? closest(n.value, shown) : undefined;
        const order = near ? [near, ...shown.filter((v) => v !== near)] : shown;
        const fixes = order.slice(0, 6).map((v) => ({ title: `Change to ${v}`, edits: [{ range: lines.range(n.start, n.end), newText: editor.literal(allowed.find((x) => String(x) === v)) }] }));
        diag(n.start, n.end, 'bad-value', `${JSON.stringify(toValue(n))} is not one of: ${shown.join(', ')}.`, fixes);
        break;
      }
      case 'const':
        diag(n.start, n.end, 'bad-value', `Value must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}.`);
        break;
      case 'not': {
        const to = parent?.['x-renamedTo'];
        if (!to || !at.property) {
          diag(n.start, n.end, 'bad-value', 'This value is not allowed here.');
          break;
        }
        const holder = locatePointer(root, e.instancePath.slice(0, e.instancePath.lastIndexOf('/')))?.node;
        const p = at.property;
        const fixes: SpecFix[] = holder?.properties?.some((q) => q.key === to)
          ? [{ title: `Remove "${p.key}" ("${to}" is already set)`, edits: [editor.removeProperty(holder, p)] }]
          : [{ title: `Rename to "${to}"`, edits: [{ range: lines.range(p.keyStart, p.keyEnd), newText: JSON.stringify(to) }] }];
        diag(p.keyStart, p.keyEnd, 'renamed-key', `"${p.key}" was renamed to "${to}"; the old name is refused.`, fixes);
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        const { comparison, limit } = e.params as { comparison: string; limit: number };
        const words: Record<string, string> = { '>=': 'at least', '>': 'more than', '<=': 'at most', '<': 'less than' };
        diag(n.start, n.end, 'out-of-range', `Must be ${words[comparison] ?? comparison} ${limit}.`);
        break;
      }
      case 'minLength': {
        const limit = (e.params as { limit: number }).limit;
        diag(n.start, n.end, 'bad-format', limit === 1 ? 'Must not be empty.' : `Must be at least ${limit} characters.`);
        break;
      }
      case 'maxLength':
        diag(n.start, n.end, 'bad-format', `Must be at most ${(e.params as { limit: number }).limit} characters.`);
        break;
      case 'pattern':
      case 'format':
        diag(n.start, n.end, 'bad-format', `${JSON.stringify(toValue(n))} does not match the expected format${parent?.examples?.length ? ` (e.g. ${parent.examples.map(String).join(', ')})` : e.keyword === 'pattern' ? ` ${(e.params as { pattern: string }).pattern}` : ''}.`);
        break;
      case 'minItems': {
        const limit = (e.params as { limit: number }).limit;
        diag(n.start, n.end, 'out-of-range', `Needs at least ${limit} item${limit === 1 ? '' : 's'}.`);
        break;
      }
      case 'maxItems':
        diag(n.start, n.end, 'out-of-range', `At most ${(e.params as { limit: number }).limit} items.`);
        break;
      default:
        diag(n.start, n.end, 'schema', `${at.path.length ? `${at.path.join('.')}: ` : ''}${e.message ?? 'invalid'}.`);
    }
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** JSON parsers keep the last of two equal keys silently; the editor says so. */
function duplicateKeys(node: TreeNode, input: ValidationInput, out: SpecDiagnostic[], depth = 0): void {
  if (depth > 200) return;
  if (node.kind === 'object') {
    const seen = new Set<string>();
    for (const p of node.properties ?? []) {
      if (seen.has(p.key)) out.push({ range: input.lines.range(p.keyStart, p.keyEnd), severity: 'error', code: 'duplicate-key', message: `Duplicate key "${p.key}".`, fixes: [{ title: `Remove the duplicate "${p.key}"`, edits: [input.editor.removeProperty(node, p)] }] });
      seen.add(p.key);
      duplicateKeys(p.value, input, out, depth + 1);
    }
  } else for (const it of node.items ?? []) duplicateKeys(it, input, out, depth + 1);
}
