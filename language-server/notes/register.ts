// Hooks the knowledge-notes features into the server (owned by the notes work).
// server.ts calls this once, after building the composite service, before listen().
// Owns: the initial workspace scan, file events, re-indexing open notes, and pushing the concept
// index to the client for the preview plugin.
import MarkdownIt from 'markdown-it';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver/node';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ConceptIndexNotification } from '../protocol';
import type { ConceptHoverSource, DocumentService } from '../service/types';
import { loadBuiltinNotes } from './builtinNotes';
import { NOTES_MARKDOWN_OPTIONS, createNotesParser } from './markdown';
import { readNoteText } from './readNote';
import { type NotesService, createNotesService } from './service';
import { normalizeSettings } from './settings';
import { scanNotes } from './workspaceScan';

export interface NotesHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  /** Adds a document service to the composite (routes requests for the docs it accepts). */
  addService(service: DocumentService): void;
  /** Concept hovers appended after every other service's hover, in every document kind. */
  setConceptSource(source: ConceptHoverSource): void;
  /** Optional: re-runs diagnostics of open documents (a change in one note can fix or break links in another). */
  revalidate?(): void;
}

export const PUSH_DELAY_MS = 300;
const READ_BATCH = 32;

async function readText(uri: string): Promise<string | undefined> {
  const r = await readNoteText(uri);
  // Gone, unreadable, not a regular file or over the size cap: the caller drops it from the index.
  return 'text' in r ? r.text : undefined;
}

export function registerNotes(host: NotesHost): NotesService {
  const { connection, documents } = host;
  let scanning: Promise<void> | undefined;
  const service = createNotesService({
    parser: createNotesParser(new MarkdownIt(NOTES_MARKDOWN_OPTIONS)),
    builtins: loadBuiltinNotes(),
    onSettingsChanged: () => void rescan(),
  });
  host.addService(service.documentService);
  host.setConceptSource(service.conceptSource);

  let pushTimer: NodeJS.Timeout | undefined;
  let pushedOnce = false;
  let revalidatedAt = -1;
  function schedulePush(): void {
    if (pushTimer) return;
    pushTimer = setTimeout(() => {
      pushTimer = undefined;
      const changed = pushedOnce ? service.index.drainChanged() : [];
      if (!pushedOnce) service.index.clearChanged();
      if (pushedOnce && changed.length === 0) return;
      // The first push is the whole index; later ones only the notes that moved.
      const params = { full: !pushedOnce, notes: service.conceptSummaries(pushedOnce ? changed : undefined) };
      pushedOnce = true;
      void connection.sendNotification(ConceptIndexNotification, params);
      // Other notes' diagnostics depend only on what links resolve to, not on summaries or lines.
      if (revalidatedAt !== service.index.resolutionVersion) {
        revalidatedAt = service.index.resolutionVersion;
        host.revalidate?.();
      }
    }, PUSH_DELAY_MS);
  }

  async function reindexFromDisk(uri: string): Promise<void> {
    if (documents.get(uri)) return; // the open document's text wins over the disk
    const text = service.isNote(uri) ? await readText(uri) : undefined;
    if (text === undefined) service.deleteFile(uri);
    else service.setFile(uri, text);
  }

  async function rescan(): Promise<void> {
    const run = async (): Promise<void> => {
      try {
        const raw = (await connection.workspace.getConfiguration({ section: 'isolationSpectrum.notes' })) as unknown;
        service.settings = normalizeSettings(raw);
      } catch {
        // The client cannot answer configuration requests: keep the defaults.
      }
      try {
        const folders = await connection.workspace.getWorkspaceFolders();
        service.folders = (folders ?? []).map((f) => f.uri);
      } catch {
        // No workspace folder support: only open documents are indexed.
      }
      const uris = await scanNotes(service.folders, service.settings);
      const keep = new Set(uris);
      for (const uri of service.index.workspaceUris()) if (!keep.has(uri) && !documents.get(uri)) service.deleteFile(uri);
      // Read in small parallel batches: the disk wait overlaps, the parse stays on one thread.
      for (let i = 0; i < uris.length; i += READ_BATCH) await Promise.all(uris.slice(i, i + READ_BATCH).map(reindexFromDisk));
      for (const doc of documents.all()) if (service.isNote(doc.uri)) service.sync(doc);
      schedulePush();
    };
    pushedOnce = false; // a rescan may drop notes: the next push replaces everything
    scanning = (scanning ?? Promise.resolve()).then(run, run);
    return scanning;
  }

  // Started on the first open document rather than on `initialized`, whose single handler belongs
  // to server.ts; by then the client has answered initialize and can take requests.
  let started = false;
  function start(): void {
    if (started) return;
    started = true;
    void rescan();
    connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.md' }] }).catch(() => {
      // The client cannot watch files for us: edits in open documents still re-index.
    });
    try {
      connection.workspace.onDidChangeWorkspaceFolders(() => void rescan());
    } catch {
      // The client has no workspace folder events.
    }
  }

  documents.onDidOpen(() => start());
  documents.onDidChangeContent(({ document }) => {
    if (service.sync(document)) schedulePush();
  });
  documents.onDidClose(({ document }) => {
    if (/\.md$/i.test(document.uri)) void reindexFromDisk(document.uri).then(schedulePush);
  });
  connection.onDidChangeWatchedFiles(({ changes }) => {
    const notes = changes.filter((c) => /\.md$/i.test(c.uri));
    if (notes.length === 0) return;
    void (async () => {
      for (const c of notes) {
        if (c.type === FileChangeType.Deleted) {
          if (!documents.get(c.uri)) service.deleteFile(c.uri);
        } else {
          await reindexFromDisk(c.uri);
        }
      }
      schedulePush();
    })();
  });
  return service;
}
