// The "Move to isolation level" refactoring: one set of non-overlapping edits that changes the
// level and adds, keeps or drops fields per the LEVEL_FIELDS table.
import type { LineIndex } from './lines';
import { MIN_GUEST_MEMORY, NEEDED_DEFAULTS, roleOf } from './levels';
import { prop, type TreeNode } from './tree';
import type { Isolation, SpecEdit } from './types';
import { formatBytes, parseMemory } from './units';
import { YamlEditor, yamlLiteral } from './yamlEdit';

export function moveEdits(root: TreeNode, lines: LineIndex, to: Isolation): SpecEdit[] {
  if (root.kind !== 'object') return [];
  const editor = new YamlEditor(lines);
  const edits: SpecEdit[] = [];
  const props = root.properties ?? [];
  const iso = prop(root, 'isolation');
  for (const p of props) {
    if (p.key !== 'isolation' && roleOf(p.key, to) === 'drops') edits.push(editor.removeProperty(root, p));
  }
  const missing: [string, string][] = [];
  for (const [field, value] of Object.entries(NEEDED_DEFAULTS)) {
    if (roleOf(field, to) === 'needs' && !prop(root, field)) missing.push([field, yamlLiteral(value)]);
  }
  const min = MIN_GUEST_MEMORY[to];
  const memory = prop(prop(root, 'resources')?.value, 'memory');
  if (min && memory) {
    const bytes = parseMemory(memory.value.value);
    if (bytes !== undefined && bytes < min) edits.push({ range: lines.range(memory.value.start, memory.value.end), newText: formatBytes(min) });
  }
  if (!iso) {
    const all: [string, string][] = [['isolation', to], ...missing];
    // After a key that stays (`name` stays at every level), so the insert cannot touch a removal.
    const anchor = prop(root, 'name') ?? props.find((p) => roleOf(p.key, to) !== 'drops');
    if (anchor && !root.flow) {
      const edit = editor.insertAfter(anchor, props[0], all[0][0], all[0][1]);
      const indent = ' '.repeat(lines.positionAt(props[0].keyStart).character);
      edit.newText += all.slice(1).map(([k, v]) => `\n${indent}${k}: ${v}`).join('');
      edits.push(edit);
    } else if (root.flow || !props.length) {
      edits.push(editor.insertProperty(root, 'isolation', [to, ...missing.map(([k, v]) => `${k}: ${v}`)].join(root.flow ? ', ' : '\n')));
    } else {
      // Every key goes: insert before the first one (an insert may touch, not overlap, a removal).
      const at = lines.lineStart(lines.positionAt(props[0].keyStart).line);
      const indent = ' '.repeat(lines.positionAt(props[0].keyStart).character);
      edits.push({ range: lines.range(at, at), newText: all.map(([k, v]) => `${indent}${k}: ${v}\n`).join('') });
    }
    return edits;
  }
  if (root.flow || iso.value.kind === 'object' || iso.value.kind === 'array') {
    edits.push({ range: lines.range(iso.value.start, iso.value.end), newText: to });
    for (const [k, v] of missing) edits.push(editor.insertProperty(root, k, v));
    return edits;
  }
  // One edit from the level's value to the end of its line: the new level, whatever followed it
  // (a comment), then the added keys; `isolation` is never removed, so nothing overlaps.
  const lineEnd = lines.lineEnd(lines.positionAt(iso.value.end).line);
  const indent = ' '.repeat(lines.positionAt(props[0].keyStart).character);
  const added = missing.map(([k, v]) => `\n${indent}${k}: ${v}`).join('');
  const tail = lines.text.slice(iso.value.end, lineEnd);
  if (iso.value.value !== to || added) edits.push({ range: lines.range(iso.value.start, lineEnd), newText: `${to}${tail}${added}` });
  return edits;
}
