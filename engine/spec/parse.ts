// Parses a `*.sandbox.yaml` text into one tree per YAML document, with exact offsets, and turns
// the YAML parser's own errors into diagnostics.
import { parseAllDocuments, type Document } from 'yaml';
import { excessiveNesting, NESTING_LIMIT } from './depth';
import { LineIndex } from './lines';
import { fromYaml, type TreeNode } from './tree';
import type { SpecDiagnostic } from './types';

export interface ParsedSpecDocument {
  index: number;
  /** Offsets of the whole document in the text. */
  start: number;
  end: number;
  root: TreeNode;
  yaml: Document;
  /** The YAML parser found errors in this document (its tree may be partial). */
  syntaxErrors: boolean;
}

export interface ParsedSpec {
  text: string;
  lines: LineIndex;
  documents: ParsedSpecDocument[];
  syntax: SpecDiagnostic[];
}

const CODES: Record<string, string> = { DUPLICATE_KEY: 'duplicate-key' };

export function parseSpec(text: string): ParsedSpec {
  const lines = new LineIndex(text);
  const syntax: SpecDiagnostic[] = [];
  const documents: ParsedSpecDocument[] = [];
  const deep = excessiveNesting(text, true);
  if (deep !== undefined) {
    syntax.push({ range: lines.range(deep, deep + 1), severity: 'error', code: 'too-deep', message: `Nesting deeper than ${NESTING_LIMIT} levels is not supported.` });
    return { text, lines, documents, syntax };
  }
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true }) as unknown as Document[];
  if (!Array.isArray(docs)) return { text, lines, documents, syntax };
  docs.forEach((d, index) => {
    for (const [list, severity] of [[d.errors, 'error'], [d.warnings, 'warning']] as const) {
      for (const e of list) {
        const [s, e2] = e.pos;
        const end = e2 > s ? e2 : Math.min(text.length, s + 1);
        syntax.push({ range: lines.range(s, end), severity, code: CODES[e.code] ?? (severity === 'error' ? 'yaml-syntax' : 'yaml-warning'), message: e.message.split('\n')[0] });
      }
    }
    const r = (d as unknown as { range?: [number, number, number] }).range ?? [0, text.length, text.length];
    documents.push({ index, start: r[0], end: r[2], root: fromYaml(d.contents, r[0]), yaml: d, syntaxErrors: d.errors.length > 0 });
  });
  return { text, lines, documents, syntax };
}
