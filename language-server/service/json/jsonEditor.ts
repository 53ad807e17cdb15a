// Local text edits on JSON source (comments and layout elsewhere stay as they are).
import type { LineIndex } from '../../../engine/spec/lines';
import type { TreeEditor } from '../../../engine/spec/schema';
import type { TreeNode, TreeProperty } from '../../../engine/spec/tree';
import type { SpecEdit } from '../../../engine/spec/types';

export class JsonEditor implements TreeEditor {
  constructor(private readonly lines: LineIndex) {}

  literal(v: unknown): string {
    return v === undefined ? '""' : JSON.stringify(v);
  }

  private edit(start: number, end: number, newText: string): SpecEdit {
    return { range: this.lines.range(start, end), newText };
  }

  removeProperty(parent: TreeNode, p: TreeProperty): SpecEdit {
    const text = this.lines.text;
    let s = p.keyStart;
    let e = Math.max(p.keyEnd, p.value.end);
    const after = /^\s*,/.exec(text.slice(e));
    if (after) e += after[0].length;
    else {
      const before = /,\s*$/.exec(text.slice(parent.start, s));
      if (before) s -= before[0].length;
    }
    // Take the whole line when the property had it to itself.
    const ls = this.lines.lineStart(this.lines.positionAt(s).line);
    const le = this.lines.lineEnd(this.lines.positionAt(e).line);
    if (after && /^[ \t]*$/.test(text.slice(ls, s)) && /^[ \t]*$/.test(text.slice(e, le))) {
      const next = this.lines.positionAt(e).line + 1;
      return this.edit(ls, next < this.lines.lineCount ? this.lines.lineStart(next) : le, '');
    }
    return this.edit(s, e, '');
  }

  insertProperty(parent: TreeNode, key: string, valueText: string): SpecEdit {
    const props = parent.properties ?? [];
    const entry = `${JSON.stringify(key)}: ${valueText}`;
    if (parent.kind !== 'object') return this.edit(parent.start, parent.start, `{ ${entry} }`);
    if (props.length === 0) {
      const open = parent.start + 1;
      const indent = ' '.repeat(this.indentOf(parent.start));
      return this.edit(open, open, `\n${indent}  ${entry}\n${indent}`);
    }
    const last = props[props.length - 1];
    const end = Math.max(last.keyEnd, last.value.end);
    const firstPos = this.lines.positionAt(props[0].keyStart);
    const sameLine = firstPos.line === this.lines.positionAt(parent.start).line;
    return this.edit(end, end, sameLine ? `, ${entry}` : `,\n${' '.repeat(firstPos.character)}${entry}`);
  }

  private indentOf(offset: number): number {
    const ls = this.lines.lineStart(this.lines.positionAt(offset).line);
    const line = this.lines.text.slice(ls, offset);
    return line.length - line.trimStart().length;
  }
}
