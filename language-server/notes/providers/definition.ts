// Go to definition on a wiki link or a concept term: the heading(s) that define it.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Location, Position } from 'vscode-languageserver-types';
import type { NotesIndex } from '../notesIndex';
import type { NoteFile } from '../parseNote';
import { conceptAt, headingLocation } from './locate';

export function definition(index: NotesIndex, doc: TextDocument, pos: Position, file?: NoteFile): Location[] | null {
  const at = conceptAt(index, doc, pos, file);
  if (!at) return null;
  if (at.section) return [headingLocation(at.def.file, at.section)];
  // On a heading itself, point at the other definitions (e.g. the built-in note it extends).
  const defs = file && at.def.file === file && at.def.heading.line === pos.line ? at.all.slice(1) : at.all;
  return defs.length ? defs.map((d) => headingLocation(d.file, d.heading)) : null;
}
