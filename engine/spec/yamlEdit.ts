// Text edits on YAML source that keep everything else (comments, order, quoting) untouched:
// fixes and refactorings are small, local edits rather than a re-serialisation.
import type { LineIndex } from './lines';
import type { TreeEditor } from './schema';
import type { TreeNode, TreeProperty } from './tree';
import type { SpecEdit } from './types';

const PLAIN_SAFE = /^[A-Za-z0-9_./][A-Za-z0-9_./+-]*$/;
const AMBIGUOUS = /^(true|false|yes|no|on|off|null|~|[-+]?[0-9.]+(e[-+]?[0-9]+)?|0x[0-9a-f]+|0o[0-7]+|\.inf|\.nan)$/i;

export function yamlLiteral(v: unknown): string {
  if (typeof v === 'string') return PLAIN_SAFE.test(v) && !AMBIGUOUS.test(v) ? v : JSON.stringify(v);
  if (v === undefined) return '""';
  return JSON.stringify(v);
}

function isBlank(s: string): boolean {
  return /^[ \t]*$/.test(s);
}

export class YamlEditor implements TreeEditor {
  constructor(private readonly lines: LineIndex) {}

  literal(v: unknown): string {
    return yamlLiteral(v);
  }

  private edit(start: number, end: number, newText: string): SpecEdit {
    return { range: this.lines.range(start, end), newText };
  }

  /** Offset just past the property's last character (its value, or its key when empty). */
  private propEnd(p: TreeProperty): number {
    let end = Math.max(p.keyEnd, p.value.end);
    const text = this.lines.text;
    while (end > p.keyEnd && /\s/.test(text[end - 1] ?? '')) end--;
    return end;
  }

  removeProperty(parent: TreeNode, p: TreeProperty): SpecEdit {
    const text = this.lines.text;
    const end = this.propEnd(p);
    if (parent.flow) {
      let s = p.keyStart;
      let e = end;
      const after = /^\s*,\s*/.exec(text.slice(e));
      if (after) e += after[0].length;
      else {
        const before = /,\s*$/.exec(text.slice(parent.start, s));
        if (before) s -= before[0].length;
      }
      return this.edit(s, e, '');
    }
    const startLine = this.lines.positionAt(p.keyStart).line;
    const lineStart = this.lines.lineStart(startLine);
    const endLine = this.lines.positionAt(end).line;
    const next = endLine + 1 < this.lines.lineCount ? this.lines.lineStart(endLine + 1) : text.length;
    // A key sharing its line with a sequence dash (`- name: x`) keeps the dash.
    const from = isBlank(text.slice(lineStart, p.keyStart)) ? lineStart : p.keyStart;
    return this.edit(from, next, '');
  }

  insertProperty(parent: TreeNode, key: string, valueText: string): SpecEdit {
    const text = this.lines.text;
    const props = parent.properties ?? [];
    if (parent.kind !== 'object' || props.length === 0) {
      if (parent.kind === 'object' && parent.flow) {
        const close = text.lastIndexOf('}', parent.end);
        if (close >= parent.start) return this.edit(close, close, `${key}: ${valueText}`);
      }
      // An empty document or an empty value: a fresh line at the node's start.
      const at = parent.start;
      const atLineStart = isBlank(text.slice(this.lines.lineStart(this.lines.positionAt(at).line), at));
      return this.edit(at, at, `${atLineStart ? '' : '\n'}${key}: ${valueText}\n`);
    }
    if (parent.flow) {
      const last = props[props.length - 1];
      const end = this.propEnd(last);
      return this.edit(end, end, `, ${key}: ${valueText}`);
    }
    return this.insertAfter(props[props.length - 1], props[0], key, valueText);
  }

  /** Inserts `key: value` on a new line after property `after`, indented like `like`. */
  insertAfter(after: TreeProperty, like: TreeProperty, key: string, valueText: string): SpecEdit {
    const indentPos = this.lines.positionAt(like.keyStart);
    const indent = ' '.repeat(indentPos.character);
    // At the end of the anchor's last line, so it never touches an edit starting on the next line.
    const endLine = this.lines.positionAt(this.propEnd(after)).line;
    const at = this.lines.lineEnd(endLine);
    return this.edit(at, at, `\n${indent}${key}: ${valueText}`);
  }
}
