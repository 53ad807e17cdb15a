// Formatting that keeps comments: YAML re-printed per document by the `yaml` package (which
// carries comments on its nodes), JSON by jsonc-parser's formatter (edits only whitespace).
import { format as formatJson } from 'jsonc-parser';
import type { FormattingOptions, TextEdit } from 'vscode-languageserver-types';
import type { ConfigDocument } from '../configDocument';

export function formatYaml(cd: ConfigDocument, yamlDocs: { toString(o?: object): string; errors: unknown[]; warnings: unknown[]; contents: unknown }[], options: FormattingOptions): TextEdit[] {
  if (yamlDocs.some((d) => d.errors.length || d.warnings.length)) return [];
  // Text the parser never saw (refused as too deep) must not be printed back as nothing.
  if (cd.diagnostics.some((d) => d.code === 'too-deep') || (!yamlDocs.length && cd.text.trim())) return [];
  // The printer moves the comments of an empty document around: leave such files as they are.
  if (yamlDocs.length > 1 && yamlDocs.some((d) => d.contents === null || d.contents === undefined)) return [];
  const indent = Math.max(1, Math.min(8, options.tabSize || 2));
  let printed: string;
  try {
    printed = yamlDocs.map((d) => d.toString({ indent, lineWidth: 0 })).join('');
  } catch {
    // The printer refuses some documents the parser accepts (e.g. aliases it cannot resolve):
    // such a document is left as it is rather than formatted wrongly.
    return [];
  }
  const eol = cd.text.includes('\r\n') ? '\r\n' : '\n';
  let out = eol === '\n' ? printed : printed.replace(/\n/g, eol);
  if (!cd.text.endsWith('\n') && out.endsWith(eol) && cd.text.length > 0 && !cd.text.endsWith(eol)) out = out.slice(0, -eol.length);
  if (out === cd.text) return [];
  return [{ range: cd.lines.range(0, cd.text.length), newText: out }];
}

export function formatJsonDocument(cd: ConfigDocument, options: FormattingOptions): TextEdit[] {
  if (cd.diagnostics.some((d) => d.code === 'too-deep')) return [];
  const edits = formatJson(cd.text, undefined, { tabSize: options.tabSize || 2, insertSpaces: options.insertSpaces !== false, eol: cd.text.includes('\r\n') ? '\r\n' : '\n' });
  return edits.map((e) => ({ range: cd.lines.range(e.offset, e.offset + e.length), newText: e.content }));
}
