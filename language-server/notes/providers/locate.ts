// Shared look-ups for the providers: what concept sits at a position of a note or any document.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Location, Position, Range } from 'vscode-languageserver-types';
import type { ConceptDef, NotesIndex } from '../notesIndex';
import type { HeadingInfo, LinkInfo, NoteFile } from '../parseNote';
import { termAt } from '../termAt';

/** The file name of a URI, decoded when it can be. */
export function baseName(uri: string): string {
  const base = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

export function inRange(range: Range, pos: Position): boolean {
  if (pos.line < range.start.line || pos.line > range.end.line) return false;
  if (pos.line === range.start.line && pos.character < range.start.character) return false;
  if (pos.line === range.end.line && pos.character > range.end.character) return false;
  return true;
}

export function linkAt(file: NoteFile, pos: Position): LinkInfo | undefined {
  return file.links.find((l) => inRange(l.range, pos));
}

export function lineText(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

export function headingLocation(file: NoteFile, heading: HeadingInfo): Location {
  return { uri: file.uri, range: heading.nameRange };
}

export interface ConceptAt {
  def: ConceptDef;
  /** Every definition of the name, best first (user note before built-in). */
  all: ConceptDef[];
  range: Range;
  /** The heading a `#Section` link points at, when the cursor is on such a link. */
  section?: HeadingInfo;
  /** The cursor is on the concept's own heading. */
  onHeading?: boolean;
}

/**
 * Concept at a position: a wiki link, a heading line of a note, or a hoverable plain-text term.
 * `terms` adds words that name a concept only in that kind of document (a spec's `isolate`).
 */
export function conceptAt(index: NotesIndex, doc: TextDocument, pos: Position, file?: NoteFile, terms?: Readonly<Record<string, string>>): ConceptAt | undefined {
  if (file) {
    const link = linkAt(file, pos);
    if (link) {
      const r = index.resolveLink(file.uri, link);
      if (!r.def) return undefined;
      const all = link.target ? index.resolveAll(link.target) : [r.def];
      return { def: r.def, all: all.length ? all : [r.def], range: link.range, section: r.section };
    }
    const heading = file.headings.find((h) => h.line === pos.line);
    if (heading) {
      const def = { file, heading };
      const all = [def, ...index.resolveAll(heading.name).filter((d) => d.heading !== heading)];
      return { def, all, range: heading.nameRange, onHeading: true };
    }
  }
  const text = lineText(doc, pos.line);
  const m = termAt(text, pos.character, (phrase) => {
    const named = terms && Object.hasOwn(terms, phrase.toLowerCase()) ? terms[phrase.toLowerCase()] : undefined;
    return index.hoverable(named ?? phrase);
  });
  if (!m) return undefined;
  return {
    def: m.value[0],
    all: m.value,
    range: { start: { line: pos.line, character: m.start }, end: { line: pos.line, character: m.end } },
  };
}
