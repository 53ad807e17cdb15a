// Everything known about a spec text: its documents and all their diagnostics (syntax, schema,
// semantic), one per problem. Both `spectrum up` (through load.ts) and the language server use it.
//
// Editing one sandbox of a long file should not re-parse the others: the text is cut at its
// `---` lines (YAML documents never span them) and each piece's parse and checks are cached by
// its text, then shifted to where the piece sits now.
import sandboxSchema from '../../schemas/sandbox.schema.json';
import { LineIndex } from './lines';
import { parseSpec, type ParsedSpec, type ParsedSpecDocument } from './parse';
import { checkDuplicateNames, checkRules } from './rules';
import { SchemaChecker, type JsonSchema } from './schema';
import type { TreeNode } from './tree';
import type { SpecDiagnostic } from './types';
import { YamlEditor } from './yamlEdit';

export const SANDBOX_SCHEMA = sandboxSchema as JsonSchema;

export interface CheckedDocument {
  doc: ParsedSpecDocument;
  diagnostics: SpecDiagnostic[];
}

export interface CheckedSpec extends ParsedSpec {
  checked: CheckedDocument[];
  /** Every diagnostic of the text, in document order. */
  diagnostics: SpecDiagnostic[];
}

interface Piece {
  documents: ParsedSpecDocument[];
  syntax: SpecDiagnostic[];
  checked: { document: number; diagnostics: SpecDiagnostic[] }[];
}

const CACHE_LIMIT = 2048;
const pieceCache = new Map<string, Piece>();

function isEmpty(doc: ParsedSpecDocument): boolean {
  return doc.root.kind === 'null' && !doc.syntaxErrors;
}

function checkPiece(text: string): Piece {
  const parsed = parseSpec(text);
  const editor = new YamlEditor(parsed.lines);
  const checked: Piece['checked'] = [];
  parsed.documents.forEach((doc, document) => {
    if (isEmpty(doc)) return;
    const diagnostics: SpecDiagnostic[] = [];
    if (!doc.syntaxErrors) {
      if (doc.root.kind !== 'object') {
        diagnostics.push({ range: parsed.lines.range(doc.root.start, doc.root.end), severity: 'error', code: 'wrong-type', message: 'A sandbox document must be a mapping of keys (name, isolation, ...).' });
      } else {
        const first = doc.root.properties?.[0];
        const anchor = first ? { start: first.keyStart, end: first.keyEnd } : { start: doc.root.start, end: doc.root.start };
        diagnostics.push(...new SchemaChecker(SANDBOX_SCHEMA, parsed.lines, editor).check(doc.root, anchor));
        diagnostics.push(...checkRules({ lines: parsed.lines, root: doc.root }));
      }
    }
    checked.push({ document, diagnostics });
  });
  return { documents: parsed.documents, syntax: parsed.syntax, checked };
}

function cachedPiece(text: string): Piece {
  const hit = pieceCache.get(text);
  if (hit) {
    pieceCache.delete(text);
    pieceCache.set(text, hit);
    return hit;
  }
  const piece = checkPiece(text);
  pieceCache.set(text, piece);
  if (pieceCache.size > CACHE_LIMIT) pieceCache.delete(pieceCache.keys().next().value as string);
  return piece;
}

/** Start offsets of the pieces, or just [0] when directives or `...` make cutting unsafe. */
function pieceStarts(text: string): number[] {
  if (/^(%|\.\.\.)/m.test(text)) return [0];
  const starts = [0];
  const re = /^---(?=[ \t\r\n]|$)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m.index > 0) starts.push(m.index);
  return starts;
}

function shiftTree(n: TreeNode, d: number): TreeNode {
  const out: TreeNode = { ...n, start: n.start + d, end: n.end + d };
  if (n.properties) out.properties = n.properties.map((p) => ({ key: p.key, keyStart: p.keyStart + d, keyEnd: p.keyEnd + d, value: shiftTree(p.value, d) }));
  if (n.items) out.items = n.items.map((i) => shiftTree(i, d));
  return out;
}

function shiftDiagnostic(x: SpecDiagnostic, lines: number): SpecDiagnostic {
  if (lines === 0) return x;
  const r = (range: SpecDiagnostic['range']) => ({ start: { line: range.start.line + lines, character: range.start.character }, end: { line: range.end.line + lines, character: range.end.character } });
  return { ...x, range: r(x.range), ...(x.fixes ? { fixes: x.fixes.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ range: r(e.range), newText: e.newText })) })) } : {}) };
}

export function checkSpecText(text: string): CheckedSpec {
  const lines = new LineIndex(text);
  const starts = pieceStarts(text);
  const documents: ParsedSpecDocument[] = [];
  const syntax: SpecDiagnostic[] = [];
  const checked: CheckedDocument[] = [];
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    const piece = cachedPiece(text.slice(start, end));
    const lineDelta = lines.positionAt(start).line;
    const base = documents.length;
    for (const d of piece.documents) {
      documents.push(start === 0 ? d : { ...d, index: documents.length, start: d.start + start, end: d.end + start, root: shiftTree(d.root, start) });
    }
    syntax.push(...piece.syntax.map((x) => shiftDiagnostic(x, lineDelta)));
    for (const c of piece.checked) checked.push({ doc: documents[base + c.document], diagnostics: c.diagnostics.map((x) => shiftDiagnostic(x, lineDelta)) });
  });
  const dup = checkDuplicateNames(
    checked.filter((c) => !c.doc.syntaxErrors).map((c) => c.doc.root),
    lines,
  );
  for (const d of dup) {
    const start = lines.offsetAt(d.range.start);
    const owner = checked.find((c) => start >= c.doc.start && start <= c.doc.end);
    if (owner) owner.diagnostics = [...owner.diagnostics, d];
  }
  const diagnostics = [...syntax, ...checked.flatMap((c) => c.diagnostics)];
  return { text, lines, documents, syntax, checked, diagnostics };
}
