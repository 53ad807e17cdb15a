// Hover for every key and enum value of a schema-described document: meaning, type, default,
// constraints; for enum values, that value's own description first.
import type { Hover } from 'vscode-languageserver-types';
import { resolveRef, schemaAt, typeNames, type JsonSchema } from '../../../engine/spec/schema';
import { locate, type PathSegment } from '../../../engine/spec/tree';
import type { Position } from '../../../engine/spec/types';
import { rootAt, type ConfigDocument } from '../configDocument';

/** Extra lines a document kind adds to a key's hover (e.g. which levels use a spec field). */
export type HoverExtra = (path: PathSegment[], cd: ConfigDocument, rootIndex: number) => string | undefined;

function code(v: unknown): string {
  return '`' + (typeof v === 'string' ? v : JSON.stringify(v)) + '`';
}

function typeLabel(root: JsonSchema, s: JsonSchema): string {
  const own = typeNames(s);
  if (own.length) return own.join(' | ');
  const alts = (s.anyOf ?? s.oneOf ?? []).map((b) => resolveRef(root, b)).filter((b): b is JsonSchema => !!b);
  const names = alts.flatMap((b) => (b.enum ? b.enum.map(code) : typeNames(b)));
  return [...new Set(names)].join(' | ');
}

export function describeSchema(root: JsonSchema, s: JsonSchema): string[] {
  const out: string[] = [];
  if (s.description) out.push(s.description);
  const facts: string[] = [];
  const t = typeLabel(root, s);
  if (t) facts.push(`Type: ${t.includes('`') ? t : code(t)}`);
  if (s.default !== undefined) facts.push(`Default: ${code(s.default)}`);
  if (s.minimum !== undefined && s.maximum !== undefined) facts.push(`Range: ${s.minimum} to ${s.maximum}`);
  else if (s.minimum !== undefined) facts.push(`Minimum: ${s.minimum}`);
  else if (s.maximum !== undefined) facts.push(`Maximum: ${s.maximum}`);
  if (s.exclusiveMinimum !== undefined) facts.push(`More than ${s.exclusiveMinimum}`);
  if (s.pattern) facts.push(`Format: ${code(s.pattern)}`);
  if (s.examples?.length) facts.push(`Example: ${code(s.examples[0])}`);
  if (s.required?.length) facts.push(`Required keys: ${s.required.map(code).join(', ')}`);
  if (facts.length) out.push(facts.join(' · '));
  const alts = [s, ...(s.anyOf ?? s.oneOf ?? []).map((b) => resolveRef(root, b) ?? {})];
  for (const a of alts) {
    if (!a.enum) continue;
    out.push(a.enum.map((e, i) => `- ${code(e)}${a.enumDescriptions?.[i] ? `: ${a.enumDescriptions[i]}` : ''}`).join('\n'));
  }
  if (s['x-renamedTo']) out.push(`Renamed to ${code(s['x-renamedTo'])}.`);
  else if (s.deprecated) out.push('Deprecated.');
  return out;
}

function enumDescription(root: JsonSchema, s: JsonSchema, value: unknown): string | undefined {
  for (const a of [s, ...(s.anyOf ?? s.oneOf ?? []).map((b) => resolveRef(root, b) ?? {})]) {
    const i = a.enum?.indexOf(value) ?? -1;
    if (i >= 0) return a.enumDescriptions?.[i] ?? '';
  }
  return undefined;
}

export function schemaHover(cd: ConfigDocument, pos: Position, extra?: HoverExtra): Hover | null {
  const offset = cd.lines.offsetAt(pos);
  const r = rootAt(cd, offset);
  if (!r) return null;
  const loc = locate(r.root, offset);
  const keyName = [...loc.path].reverse().find((p): p is string => typeof p === 'string');
  if (loc.onKey) {
    const s = schemaAt(cd.schema, loc.path);
    if (!s) return null;
    const parts = [`**${loc.onKey.key}**`, ...describeSchema(cd.schema, s)];
    const more = extra?.(loc.path, cd, r.index);
    if (more) parts.push(more);
    return { contents: { kind: 'markdown', value: parts.join('\n\n') }, range: cd.lines.range(loc.onKey.keyStart, loc.onKey.keyEnd) };
  }
  const n = loc.node;
  if (loc.path.length === 0 || n.kind === 'object' || n.kind === 'array' || n.kind === 'other' || offset < n.start || offset > n.end) return null;
  const s = schemaAt(cd.schema, loc.path);
  if (!s) return null;
  const range = cd.lines.range(n.start, n.end);
  const valueDoc = enumDescription(cd.schema, s, n.value);
  const owner = typeof loc.path[loc.path.length - 1] === 'number' ? `${keyName ?? ''} item` : keyName ?? '';
  if (valueDoc !== undefined) {
    const parts = [`**${String(n.value)}** (${owner})`];
    if (valueDoc) parts.push(valueDoc);
    if (s.description) parts.push(`---\n\n${s.description}`);
    return { contents: { kind: 'markdown', value: parts.join('\n\n') }, range };
  }
  const parts = [`**${owner}**`, ...describeSchema(cd.schema, s)];
  return { contents: { kind: 'markdown', value: parts.join('\n\n') }, range };
}
