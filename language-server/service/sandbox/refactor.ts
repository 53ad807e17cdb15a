// "Move to isolation level..." refactorings for the sandbox at the cursor, from LEVEL_FIELDS.
import type { CodeAction, Range } from 'vscode-languageserver-types';
import { moveEdits } from '../../../engine/spec/move';
import { prop } from '../../../engine/spec/tree';
import { ISOLATION_LEVELS } from '../../../engine/spec/types';
import { kindWanted } from '../providers/codeActions';
import { rootAt, type ConfigDocument } from '../configDocument';
import { fixToAction } from '../convert';

export const MOVE_KIND = 'refactor.rewrite.isolationLevel';

export function moveActions(cd: ConfigDocument, range: Range, only?: string[]): CodeAction[] {
  if (!kindWanted(only, MOVE_KIND)) return [];
  const r = rootAt(cd, cd.lines.offsetAt(range.start));
  if (!r || r.root.kind !== 'object' || cd.diagnostics.some((d) => d.code === 'yaml-syntax')) return [];
  const current = prop(r.root, 'isolation')?.value.value;
  return ISOLATION_LEVELS.filter((l) => l !== current).map((to) => fixToAction(cd.uri, { title: `Move to isolation level ${to}`, edits: moveEdits(r.root, cd.lines, to) }, undefined, MOVE_KIND));
}
