// Renames a concept heading of a workspace note and every wiki link that names it, across the
// workspace. Links that reach it through an alias or a file name keep working and stay as they are.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { conceptKey } from '../conceptKey';
import type { NotesIndex } from '../notesIndex';
import type { NoteFile } from '../parseNote';
import { conceptAt } from './locate';

export class RenameError extends Error {}

export function rename(index: NotesIndex, doc: TextDocument, pos: Position, newName: string, file?: NoteFile): WorkspaceEdit | null {
  const at = conceptAt(index, doc, pos, file);
  if (!at) return null;
  const heading = at.section ?? at.def.heading;
  const owner = at.def.file;
  if (owner.builtin) throw new RenameError(`"${heading.name}" is a built-in concept; write your own note on it instead.`);
  const name = newName.trim();
  if (!name || /[[\]|#\n]/.test(name)) throw new RenameError('A concept name cannot be empty or contain [ ] | # or a line break.');
  const changes: Record<string, TextEdit[]> = {};
  const add = (uri: string, edit: TextEdit): void => {
    (changes[uri] ??= []).push(edit);
  };
  add(owner.uri, { range: heading.nameRange, newText: name });
  for (const { uri, link } of index.backlinks(heading)) {
    const r = index.resolveLink(uri, link);
    if (r.section === heading) {
      if (link.sectionRange) add(uri, { range: link.sectionRange, newText: name });
    } else if (link.target && conceptKey(link.target) === heading.key && r.def?.heading === heading) {
      add(uri, { range: link.targetRange, newText: name });
    }
  }
  return { changes };
}
