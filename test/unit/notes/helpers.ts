// An in-memory workspace for the pure notes service: no server, no disk besides the built-in notes.
import MarkdownIt from 'markdown-it';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadBuiltinNotes } from '../../../language-server/notes/builtinNotes';
import { NOTES_MARKDOWN_OPTIONS, createNotesParser } from '../../../language-server/notes/markdown';
import { type NotesService, createNotesService } from '../../../language-server/notes/service';

export const ROOT = 'file:///ws';

export function workspace(files: Record<string, string>, builtins = true): { service: NotesService; doc(name: string): TextDocument } {
  const service = createNotesService({
    parser: createNotesParser(new MarkdownIt(NOTES_MARKDOWN_OPTIONS)),
    builtins: builtins ? loadBuiltinNotes() : [],
    folders: [ROOT],
  });
  const docs = new Map<string, TextDocument>();
  for (const [name, text] of Object.entries(files)) {
    const uri = `${ROOT}/${name}`;
    const lang = name.endsWith('.md') ? 'markdown' : name.endsWith('.json') ? 'json' : 'sandbox';
    docs.set(name, TextDocument.create(uri, lang, 1, text));
    if (service.isNote(uri)) service.setFile(uri, text);
  }
  return {
    service,
    doc(name: string): TextDocument {
      const d = docs.get(name);
      if (!d) throw new Error(`no document ${name}`);
      return d;
    },
  };
}

/** Position of the n-th occurrence of `needle` in the document, plus an offset into it. */
export function posOf(doc: TextDocument, needle: string, offset = 0, nth = 0): { line: number; character: number } {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not found`);
  }
  return doc.positionAt(at + offset);
}

export function hoverText(h: { contents: unknown } | null): string {
  if (!h) return '';
  const c = h.contents as { value?: string } | string;
  return typeof c === 'string' ? c : (c.value ?? '');
}
