// Wiki links as document links, so Ctrl+click opens the note at the concept's heading.
import type { DocumentLink } from 'vscode-languageserver-types';
import type { NotesIndex } from '../notesIndex';
import type { NoteFile } from '../parseNote';

export function documentLinks(index: NotesIndex, file: NoteFile): DocumentLink[] {
  const out: DocumentLink[] = [];
  for (const link of file.links) {
    const r = index.resolveLink(file.uri, link);
    if (!r.def) continue;
    const heading = r.section ?? r.def.heading;
    out.push({ range: link.range, target: `${r.def.file.uri}#L${heading.line + 1}`, tooltip: `Go to ${heading.name}` });
  }
  return out;
}
