// Find references (backlinks): every wiki link in the workspace that resolves to the concept.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Location, Position } from 'vscode-languageserver-types';
import type { NotesIndex } from '../notesIndex';
import type { NoteFile } from '../parseNote';
import { conceptAt, headingLocation } from './locate';

export function references(index: NotesIndex, doc: TextDocument, pos: Position, includeDeclaration: boolean, file?: NoteFile): Location[] {
  const at = conceptAt(index, doc, pos, file);
  if (!at) return [];
  const heading = at.section ?? at.def.heading;
  const out: Location[] = [];
  if (includeDeclaration) out.push(headingLocation(at.def.file, heading));
  for (const { uri, link } of index.backlinks(heading)) out.push({ uri, range: link.range });
  return out;
}
