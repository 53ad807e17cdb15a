// Completion from the schema: keys valid at the cursor (snippets fill required children), enum
// values with their one-line trade-off, booleans, and file paths for path-valued fields.
import path from 'node:path';
import { parseDocument } from 'yaml';
import { getLocation, parseTree } from 'jsonc-parser';
import type { CompletionItem, CompletionList, Range } from 'vscode-languageserver-types';
import { objectSchemas, resolveRef, schemaAt, typeNames, type JsonSchema } from '../../../engine/spec/schema';
import { fromYaml, type PathSegment, type TreeNode } from '../../../engine/spec/tree';
import type { Position } from '../../../engine/spec/types';
import type { ConfigDocument } from '../configDocument';
import type { FileSystem } from '../fs';
import { fromJson } from '../json/jsonTree';

const KIND = { property: 10, value: 12, file: 17, folder: 19, enumMember: 20 } as const;
const SNIPPET = 2;
const MARKER = '__isolation_spectrum_cursor__';

/** Per-kind adjustments to key items (e.g. sandbox fields a level ignores sort last). */
export type KeyDecorator = (objectPath: PathSegment[], key: string, item: CompletionItem, cd: ConfigDocument, offset: number) => void;

interface CompletionContext {
  cd: ConfigDocument;
  fs: FileSystem;
  baseDir?: string;
  decorate?: KeyDecorator;
  /** Per-kind value items beside the schema's (e.g. stored images for a spec's `image:`). */
  values?: (valuePath: PathSegment[], partial: string, range: Range) => CompletionItem[];
}

function docOf(s: JsonSchema): { kind: 'markdown'; value: string } | undefined {
  return s.description ? { kind: 'markdown', value: s.description } : undefined;
}

function findMarker(node: TreeNode, path: PathSegment[] = [], depth = 0): { path: PathSegment[]; onKey: boolean; siblings: string[] } | undefined {
  if (depth > 100) return undefined;
  if (node.kind === 'object') {
    for (const p of node.properties ?? []) {
      if (p.key === MARKER) return { path, onKey: true, siblings: (node.properties ?? []).map((q) => q.key).filter((k) => k !== MARKER) };
      const r = findMarker(p.value, [...path, p.key], depth + 1);
      if (r) return r;
    }
  } else if (node.kind === 'array') {
    for (const [i, it] of (node.items ?? []).entries()) {
      const r = findMarker(it, [...path, i], depth + 1);
      if (r) return r;
    }
  } else if (node.kind === 'string' && node.value === MARKER) return { path, onKey: false, siblings: [] };
  return undefined;
}

function keyItems(ctx: CompletionContext, objectPath: PathSegment[], siblings: string[], range: Range, format: 'yaml' | 'json', indentUnit: string, offset: number): CompletionItem[] {
  const root = ctx.cd.schema;
  const items: CompletionItem[] = [];
  const seen = new Set(siblings);
  for (const os of objectSchemas(root, schemaAt(root, objectPath))) {
    for (const [key, raw] of Object.entries(os.properties ?? {})) {
      const s = resolveRef(root, raw);
      if (!s || seen.has(key) || s['x-renamedTo'] || s.deprecated) continue;
      seen.add(key);
      const text = format === 'yaml' ? yamlKeySnippet(root, key, s, indentUnit) : jsonKeySnippet(root, key, s);
      const item: CompletionItem = {
        label: key,
        kind: KIND.property,
        detail: (typeNames(s).join(' | ') || 'value') + (os.required?.includes(key) ? ' (required)' : ''),
        documentation: docOf(s),
        textEdit: { range, newText: text },
        insertTextFormat: SNIPPET,
        sortText: (os.required?.includes(key) ? '0' : '1') + key,
      };
      ctx.decorate?.(objectPath, key, item, ctx.cd, offset);
      items.push(item);
    }
  }
  return items;
}

function requiredChildren(root: JsonSchema, s: JsonSchema): [string, JsonSchema][] {
  return (s.required ?? []).map((k): [string, JsonSchema] => [k, resolveRef(root, s.properties?.[k]) ?? {}]);
}

function snippetValue(s: JsonSchema, n: number, json: boolean): string {
  if (s.enum?.length) return `\${${n}|${s.enum.map((e) => (json ? JSON.stringify(e) : String(e)).replace(/[,|]/g, '')).join(',')}|}`;
  if (json && typeNames(s)[0] === 'string') return `"\${${n}}"`;
  return `\${${n}}`;
}

function yamlKeySnippet(root: JsonSchema, key: string, s: JsonSchema, unit: string): string {
  const t = typeNames(s)[0];
  const item = t === 'array' ? resolveRef(root, s.items) : undefined;
  if (t === 'object' && s.required?.length) {
    return `${key}:\n` + requiredChildren(root, s).map(([k, c], i) => `${unit}${k}: ${snippetValue(c, i + 1, false)}`).join('\n');
  }
  if (item?.required?.length) {
    return `${key}:\n` + requiredChildren(root, item).map(([k, c], i) => `${unit}${i === 0 ? '- ' : '  '}${k}: ${snippetValue(c, i + 1, false)}`).join('\n');
  }
  if (t === 'object') return `${key}:\n${unit}$0`;
  if (t === 'array') return `${key}:\n${unit}- $0`;
  if (s.enum?.length) return `${key}: ${snippetValue(s, 1, false)}`;
  return `${key}: $0`;
}

function jsonKeySnippet(root: JsonSchema, key: string, s: JsonSchema): string {
  const t = typeNames(s)[0];
  const item = t === 'array' ? resolveRef(root, s.items) : undefined;
  const body = (o: JsonSchema) => requiredChildren(root, o).map(([k, c], i) => `\t"${k}": ${snippetValue(c, i + 1, true)}`).join(',\n');
  if (t === 'object' && s.required?.length) return `"${key}": {\n${body(s)}\n}`;
  if (item?.required?.length) return `"${key}": [\n\t{\n${body(item).replace(/^/gm, '\t')}\n\t}\n]`;
  if (t === 'object') return `"${key}": {$0}`;
  if (t === 'array') return `"${key}": [$0]`;
  if (t === 'boolean') return `"${key}": \${1|true,false|}`;
  return `"${key}": ${snippetValue(s, 1, true)}`;
}

function valueItems(ctx: CompletionContext, valuePath: PathSegment[], range: Range, format: 'yaml' | 'json', partial: string): CompletionItem[] {
  const root = ctx.cd.schema;
  const s = schemaAt(root, valuePath);
  if (!s) return [];
  const items: CompletionItem[] = [];
  const lit = (v: unknown) => (format === 'json' ? JSON.stringify(v) : typeof v === 'string' ? v : JSON.stringify(v));
  for (const a of [s, ...(s.anyOf ?? s.oneOf ?? []).map((b) => resolveRef(root, b) ?? {})]) {
    a.enum?.forEach((e, i) => {
      items.push({
        label: String(e),
        kind: KIND.enumMember,
        detail: a.enumDescriptions?.[i],
        documentation: a.enumDescriptions?.[i] ? { kind: 'markdown', value: a.enumDescriptions[i] } : undefined,
        textEdit: { range, newText: lit(e) },
        sortText: String(i).padStart(3, '0'),
      });
    });
    if (typeNames(a).includes('boolean')) for (const b of [true, false]) items.push({ label: String(b), kind: KIND.value, textEdit: { range, newText: String(b) } });
  }
  if (s.default !== undefined && !items.some((i) => i.label === String(s.default)) && typeof s.default !== 'object') {
    items.push({ label: String(s.default), kind: KIND.value, detail: 'default', textEdit: { range, newText: lit(s.default) } });
  }
  if (ctx.values) items.push(...ctx.values(valuePath, partial, range));
  if (s['x-path']) items.push(...pathItems(ctx, partial, range, s['x-path']));
  return items;
}

/** Entries of the directory the typed path points into; only the last segment is replaced. */
function pathItems(ctx: CompletionContext, partial: string, range: Range, want: 'file' | 'directory' | 'any'): CompletionItem[] {
  if (!ctx.baseDir || partial.includes('\n')) return [];
  const slash = partial.lastIndexOf('/');
  const dirPart = slash >= 0 ? partial.slice(0, slash + 1) : '';
  const dir = path.resolve(ctx.baseDir, dirPart || '.');
  const segStart = { line: range.end.line, character: Math.max(range.start.character, range.end.character - (partial.length - dirPart.length)) };
  const segRange: Range = range.start.line === range.end.line ? { start: segStart, end: range.end } : range;
  const showHidden = partial.slice(dirPart.length).startsWith('.');
  const out: CompletionItem[] = [];
  for (const [name, kind] of ctx.fs.readDirectory(dir)) {
    if (name.startsWith('.') && !showHidden) continue;
    if (want === 'directory' && kind !== 'directory') continue;
    const label = kind === 'directory' ? `${name}/` : name;
    const prefix = dirPart === '' && !partial.startsWith('.') && !partial.startsWith('/') ? './' : '';
    out.push({ label, kind: kind === 'directory' ? KIND.folder : KIND.file, textEdit: { range: segRange, newText: prefix + label }, sortText: (kind === 'directory' ? '1' : '0') + name, ...(kind === 'directory' ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}) });
  }
  return out;
}

export function yamlCompletion(ctx: CompletionContext, pos: Position): CompletionList {
  const { cd } = ctx;
  if (cd.diagnostics.some((d) => d.code === 'too-deep')) return { isIncomplete: false, items: [] };
  const offset = cd.lines.offsetAt(pos);
  const lineStart = cd.lines.lineStart(pos.line);
  // The YAML document around the cursor, by its `---` lines (an empty new document has no tree).
  const markers = [...cd.text.matchAll(/^---(?=[ \t\r\n]|$)/gm)].map((m) => m.index ?? 0);
  const docStart = Math.max(0, ...markers.filter((m) => m < lineStart));
  const docEnd = Math.min(cd.text.length, ...markers.filter((m) => m > lineStart));
  const lineEnd = cd.lines.lineEnd(pos.line);
  const before = cd.text.slice(lineStart, offset);
  const empty: CompletionList = { isIncomplete: false, items: [] };
  if (before.includes('#') || /^(---|\.\.\.)/.test(before)) return empty;
  const valueMatch = /^(\s*(?:-\s+)*)([^\s:#'"{}[\],][^:#{}[\],]*?):[ \t]+(\S[^#]*?|)$/.exec(before);
  const keyMatch = /^(\s*(?:-\s+)*)([A-Za-z0-9_.-]*)$/.exec(before);
  if (!valueMatch && !keyMatch) return empty;
  // Flow collections (`{ a: b }`) are left to the user: the line regexes cannot place the cursor.
  if (valueMatch && /^[{[]/.test(valueMatch[3])) return empty;
  const unit = '  ';
  let probe: string;
  let replaceFrom: number;
  if (valueMatch) {
    const partial = valueMatch[3];
    replaceFrom = offset - partial.length;
    const q = /^["']/.test(partial) ? 1 : 0;
    replaceFrom += q;
    probe = cd.text.slice(docStart, replaceFrom) + MARKER + (q ? partial[0] : '') + cd.text.slice(lineEnd, docEnd);
  } else {
    const m = keyMatch as RegExpExecArray;
    replaceFrom = lineStart + m[1].length;
    probe = cd.text.slice(docStart, replaceFrom) + `${MARKER}: x` + cd.text.slice(lineEnd, docEnd);
  }
  const replaceTo = valueMatch ? offset : Math.max(offset, lineStart + /^[^:#]*/.exec(cd.text.slice(lineStart, lineEnd))![0].trimEnd().length);
  const found = findMarker(fromYaml(parseDocument(probe, { uniqueKeys: false }).contents, 0));
  if (!found) return empty;
  const range = cd.lines.range(replaceFrom, valueMatch ? offset : replaceTo);
  const partial = cd.text.slice(replaceFrom, offset);
  if (found.onKey) {
    const parentSchema = schemaAt(cd.schema, found.path);
    const last = found.path[found.path.length - 1];
    // `- ` in a list of scalars: complete the item's values.
    if (typeof last === 'number' && parentSchema && !objectSchemas(cd.schema, parentSchema).length) {
      return { isIncomplete: false, items: valueItems(ctx, found.path, range, 'yaml', partial) };
    }
    return { isIncomplete: false, items: keyItems(ctx, found.path, found.siblings, range, 'yaml', unit, offset) };
  }
  return { isIncomplete: false, items: valueItems(ctx, found.path, range, 'yaml', partial) };
}

export function jsonCompletion(ctx: CompletionContext, pos: Position): CompletionList {
  const { cd } = ctx;
  if (cd.diagnostics.some((d) => d.code === 'too-deep')) return { isIncomplete: false, items: [] };
  const offset = cd.lines.offsetAt(pos);
  const loc = getLocation(cd.text, offset);
  const empty: CompletionList = { isIncomplete: false, items: [] };
  const prev = loc.previousNode;
  const inPrev = prev && offset >= prev.offset && offset <= prev.offset + prev.length;
  if (loc.isAtPropertyKey) {
    const objectPath = loc.path.slice(0, -1);
    const range = inPrev && prev.type === 'string' ? cd.lines.range(prev.offset, prev.offset + prev.length) : cd.lines.range(offset, offset);
    const tree = fromJson(parseTree(cd.text, [], { allowTrailingComma: true }), 0);
    let obj: TreeNode | undefined = tree;
    for (const seg of objectPath) obj = typeof seg === 'number' ? obj?.items?.[seg] : obj?.properties?.find((p) => p.key === seg)?.value;
    const current = inPrev && prev.type === 'string' ? String(prev.value) : undefined;
    const siblings = (obj?.properties ?? []).map((p) => p.key).filter((k) => k !== current);
    const hasValue = inPrev && /^\s*:/.test(cd.text.slice(prev.offset + prev.length));
    const items = keyItems(ctx, objectPath, siblings, range, 'json', '\t', offset);
    if (hasValue) for (const i of items) if (i.textEdit && 'range' in i.textEdit) i.textEdit.newText = JSON.stringify(i.label);
    return { isIncomplete: false, items };
  }
  if (loc.path.length === 0 && !prev) return empty;
  const range = inPrev && prev.type !== 'object' && prev.type !== 'array' ? cd.lines.range(prev.offset, prev.offset + prev.length) : cd.lines.range(offset, offset);
  const partial = inPrev && prev.type === 'string' ? cd.text.slice(prev.offset + 1, offset) : '';
  const items = valueItems(ctx, loc.path, range, 'json', partial);
  // Path items replace only inside the quotes, keeping them.
  for (const i of items) {
    if ((i.kind === KIND.file || i.kind === KIND.folder) && i.textEdit && 'range' in i.textEdit) {
      const start = inPrev ? prev.offset + 1 + partial.lastIndexOf('/') + 1 : offset;
      i.textEdit = { range: cd.lines.range(start, offset), newText: i.textEdit.newText.replace(/^\.\//, partial.lastIndexOf('/') >= 0 ? '' : i.textEdit.newText.startsWith('./') ? './' : '') };
      if (!inPrev) i.textEdit.newText = JSON.stringify(i.textEdit.newText);
    }
  }
  return { isIncomplete: false, items };
}

export type { CompletionContext };
