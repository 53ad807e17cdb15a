// The pure notes service: built on an injected parser, fed files by whoever owns the transport
// (register.ts in the server, plain calls in tests). Exposes a DocumentService for notes and a
// concept source for hovers in every document kind.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Hover, type Position } from 'vscode-languageserver-types';
import type { ConceptSummary } from '../protocol';
import type { ConceptHoverSource, DocumentService, ResourceSettings } from '../service/types';
import type { NotesParser } from './markdown';
import { type ConceptDef, NotesIndex } from './notesIndex';
import type { NoteFile } from './parseNote';
import { createNoteActions } from './providers/codeActions';
import { liveBlockLenses } from './providers/codeLenses';
import { wikiCompletion } from './providers/completion';
import { definition } from './providers/definition';
import { SOURCE, noteDiagnostics } from './providers/diagnostics';
import { documentLinks } from './providers/documentLinks';
import { conceptHover } from './providers/hover';
import { conceptAt } from './providers/locate';
import { references } from './providers/references';
import { rename } from './providers/rename';
import { workspaceSymbols } from './providers/workspaceSymbols';
import { MAX_NOTE_BYTES } from './readNote';
import { DEFAULT_NOTES_SETTINGS, type NotesSettings, isNotePath, relativeToFolders } from './settings';

export interface NotesServiceOptions {
  parser: NotesParser;
  /** Built-in notes shipped with the extension. */
  builtins?: Array<{ uri: string; text: string }>;
  settings?: NotesSettings;
  /** Workspace folder URIs, for matching include/exclude globs. */
  folders?: string[];
  /** Called when the settings handed to `diagnostics` differ from the current ones (rescan). */
  onSettingsChanged?(settings: NotesSettings): void;
}

export interface NotesService {
  readonly index: NotesIndex;
  readonly documentService: DocumentService;
  readonly conceptSource: ConceptHoverSource;
  settings: NotesSettings;
  folders: string[];
  /** Whether a Markdown URI is a note under the current settings. */
  isNote(uri: string): boolean;
  /** Indexes (or re-indexes) a workspace note's text. */
  setFile(uri: string, text: string): void;
  deleteFile(uri: string): void;
  /** Brings the index up to date with an open document; returns its parsed note, if it is one. */
  sync(doc: TextDocument): NoteFile | undefined;
  /** The concepts of the given workspace notes (default: all) for the preview plugin. */
  conceptSummaries(uris?: string[]): Array<{ uri: string; concepts: ConceptSummary[] }>;
}

function summaryOf(index: NotesIndex, def: ConceptDef): ConceptSummary {
  const h = def.heading;
  return { name: h.name, aliases: h.aliases, uri: def.file.uri, line: h.line, summary: h.summary, hoverable: index.isHoverable(def) };
}

/** Over the cap a note is left out of the index, open or not: parsing it would stall every request. */
function tooLarge(text: string): boolean {
  return text.length > MAX_NOTE_BYTES || (text.length * 3 > MAX_NOTE_BYTES && Buffer.byteLength(text) > MAX_NOTE_BYTES);
}

const TOO_LARGE_MESSAGE = `This note is over ${MAX_NOTE_BYTES / 1024 / 1024} MiB, so it is not indexed: no links, hovers or concepts from it.`;

// Words too ordinary to be concepts in prose, but exact names in a sandbox spec: the level
// `isolate` and gVisor's `platform` key.
const SPEC_TERMS: Readonly<Record<string, string>> = { isolate: 'V8 Isolate', platform: 'gVisor Platform' };

function isSandboxSpec(doc: TextDocument): boolean {
  return doc.languageId === 'sandbox' || /\.sandbox\.ya?ml$/i.test(doc.uri);
}

function isMarkdown(doc: TextDocument): boolean {
  return doc.languageId === 'markdown' || /\.md$/i.test(doc.uri);
}

export function createNotesService(options: NotesServiceOptions): NotesService {
  const index = new NotesIndex(options.parser);
  for (const b of options.builtins ?? []) index.addBuiltin(b.uri, b.text);
  const versions = new Map<string, number>();

  const service: NotesService = {
    index,
    settings: options.settings ?? DEFAULT_NOTES_SETTINGS,
    folders: options.folders ?? [],
    isNote: (uri) => /\.md$/i.test(uri) && isNotePath(relativeToFolders(uri, service.folders), service.settings),
    setFile(uri, text) {
      versions.delete(uri);
      if (tooLarge(text)) index.deleteFile(uri);
      else index.setFile(uri, text);
    },
    deleteFile(uri) {
      versions.delete(uri);
      index.deleteFile(uri);
    },
    conceptSummaries(uris) {
      const notes: Array<{ uri: string; concepts: ConceptSummary[] }> = [];
      for (const uri of uris ?? index.workspaceUris()) {
        const file = index.hasFile(uri) ? index.getFile(uri) : undefined;
        notes.push({ uri, concepts: file ? file.headings.map((heading) => summaryOf(index, { file, heading })) : [] });
      }
      return notes;
    },
    sync: () => undefined,
    documentService: undefined as unknown as DocumentService,
    conceptSource: undefined as unknown as ConceptHoverSource,
  };

  /** The note's parsed form, re-indexed when the open document is newer than what we hold. */
  function noteOf(doc: TextDocument): NoteFile | undefined {
    if (!isMarkdown(doc)) return undefined;
    if (!service.isNote(doc.uri)) return undefined;
    if (versions.get(doc.uri) !== doc.version || !index.hasFile(doc.uri)) {
      const text = doc.getText();
      versions.set(doc.uri, doc.version);
      if (tooLarge(text)) {
        index.deleteFile(doc.uri);
        return undefined;
      }
      index.setFile(doc.uri, text);
    }
    return index.getFile(doc.uri);
  }

  const documentService: DocumentService = {
    accepts: (doc) => isMarkdown(doc) && service.isNote(doc.uri),
    diagnostics(doc: TextDocument, settings?: ResourceSettings) {
      if (settings?.notes && JSON.stringify(settings.notes) !== JSON.stringify(service.settings)) {
        service.settings = settings.notes;
        options.onSettingsChanged?.(settings.notes);
      }
      const file = noteOf(doc);
      if (file) return noteDiagnostics(index, file);
      if (!tooLarge(doc.getText())) return [];
      const start = { line: 0, character: 0 };
      return [{ range: { start, end: start }, severity: DiagnosticSeverity.Information, source: SOURCE, code: 'note-too-large', message: TOO_LARGE_MESSAGE }];
    },
    completion(doc, pos) {
      return noteOf(doc) ? wikiCompletion(index, doc, pos, doc.uri) : null;
    },
    codeActions: (doc, _range, context) => (noteOf(doc) ? createNoteActions(doc.uri, context) : []),
    codeLenses(doc) {
      const file = noteOf(doc);
      return file ? liveBlockLenses(file) : [];
    },
    definition: (doc, pos) => definition(index, doc, pos, noteOf(doc)),
    references: (doc, pos, includeDeclaration) => references(index, doc, pos, includeDeclaration, noteOf(doc)),
    rename: (doc, pos, newName) => rename(index, doc, pos, newName, noteOf(doc)),
    documentLinks(doc) {
      const file = noteOf(doc);
      return file ? documentLinks(index, file) : [];
    },
    workspaceSymbols: (query) => workspaceSymbols(index, query),
  };

  const conceptSource: ConceptHoverSource = {
    conceptHover(doc: TextDocument, pos: Position): Hover | null {
      const at = conceptAt(index, doc, pos, noteOf(doc), isSandboxSpec(doc) ? SPEC_TERMS : undefined);
      // An ordinary heading ("Usage") is not a concept to explain, even on its own line.
      if (!at || (at.onHeading && !index.isHoverable(at.def))) return null;
      return conceptHover(at);
    },
  };

  Object.assign(service, { documentService, conceptSource, sync: noteOf });
  return service;
}
