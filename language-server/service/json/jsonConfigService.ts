// One DocumentService shape for schema-described JSON configs (Firecracker, OCI): syntax and
// schema diagnostics, per-kind semantic rules, and the shared providers.
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { excessiveNesting, NESTING_LIMIT } from '../../../engine/spec/depth';
import { LineIndex } from '../../../engine/spec/lines';
import type { ValidateFunction } from 'ajv';
import type { JsonSchema } from '../../../engine/spec/schema';
import type { TreeNode } from '../../../engine/spec/tree';
import type { SpecDiagnostic } from '../../../engine/spec/types';
import { DocumentCache, type ConfigDocument } from '../configDocument';
import { toLspDiagnostic } from '../convert';
import { noFileSystem, type FileSystem } from '../fs';
import { quickFixes } from '../providers/codeActions';
import { jsonCompletion } from '../providers/completion';
import { pathDefinition } from '../providers/definition';
import { pathLinks } from '../providers/links';
import { formatJsonDocument } from '../providers/format';
import { schemaHover } from '../providers/hover';
import { treeSymbols } from '../providers/symbols';
import type { DocumentService } from '../types';
import { documentDir } from '../uri';
import { fromJson } from './jsonTree';
import { JsonEditor } from './jsonEditor';
import { validateTree } from './schemaValidation';

export interface RuleInput {
  root: TreeNode;
  lines: LineIndex;
  editor: JsonEditor;
  fs: FileSystem;
  baseDir?: string;
}

export interface JsonConfigKind {
  kind: 'firecracker' | 'oci';
  /** What completion, hover and quick fixes read. */
  schema: JsonSchema;
  /** What judges the document: the format's own schema, compiled by ajv. */
  validator(): ValidateFunction;
  accepts(doc: TextDocument): boolean;
  rules(input: RuleInput): SpecDiagnostic[];
}

export function parseJsonConfig(kind: JsonConfigKind, uri: string, text: string, fs: FileSystem): ConfigDocument {
  const lines = new LineIndex(text);
  const errors: ParseError[] = [];
  const deep = excessiveNesting(text, false);
  if (deep !== undefined) {
    const diagnostics: SpecDiagnostic[] = [{ range: lines.range(deep, deep + 1), severity: 'error', code: 'too-deep', message: `Nesting deeper than ${NESTING_LIMIT} levels is not supported.` }];
    const empty: TreeNode = { kind: 'null', start: 0, end: 0, value: null };
    return { kind: kind.kind, format: 'json', uri, text, lines, roots: [{ index: 0, start: 0, end: text.length, root: empty }], schema: kind.schema, editor: new JsonEditor(lines), diagnostics };
  }
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
  const root = fromJson(tree, 0);
  const editor = new JsonEditor(lines);
  const diagnostics: SpecDiagnostic[] = errors.map((e) => ({
    range: lines.range(e.offset, e.offset + Math.max(1, e.length)),
    severity: 'error',
    code: 'json-syntax',
    message: `JSON syntax: ${printParseErrorCode(e.error)}.`,
  }));
  if (!errors.length) {
    if (root.kind !== 'object') diagnostics.push({ range: lines.range(root.start, root.end), severity: 'error', code: 'wrong-type', message: 'The configuration must be a JSON object.' });
    else {
      diagnostics.push(...validateTree(kind.validator(), { root, lines, editor, editorSchema: kind.schema }));
      // Without a file system nothing can be said about files: no base directory, no file checks.
      diagnostics.push(...kind.rules({ root, lines, editor, fs, baseDir: fs === noFileSystem ? undefined : documentDir(uri) }));
    }
  }
  return { kind: kind.kind, format: 'json', uri, text, lines, roots: [{ index: 0, start: 0, end: text.length, root }], schema: kind.schema, editor, diagnostics };
}

export function createJsonConfigService(kind: JsonConfigKind, fs: FileSystem): DocumentService {
  const cache = new DocumentCache((doc, text) => parseJsonConfig(kind, doc.uri, text, fs));
  const get = (doc: TextDocument) => cache.get(doc);
  return {
    accepts: kind.accepts,
    diagnostics: (doc) => get(doc).diagnostics.map(toLspDiagnostic),
    hover: (doc, pos) => schemaHover(get(doc), pos),
    completion: (doc, pos) => jsonCompletion({ cd: get(doc), fs, baseDir: documentDir(doc.uri) }, pos),
    codeActions: (doc, range, context) => quickFixes(get(doc), range, context.only),
    documentSymbols: (doc) => treeSymbols(get(doc), get(doc).roots[0].root, 3),
    definition: (doc, pos) => pathDefinition(get(doc), pos, fs, documentDir(doc.uri)),
    documentLinks: (doc) => pathLinks(get(doc), fs, documentDir(doc.uri)),
    format: (doc, options) => formatJsonDocument(get(doc), options),
  };
}
