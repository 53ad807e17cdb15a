// Hooks the knowledge-notes features into the server (owned by the notes work).
// server.ts calls this once, after building the composite service, before listen().
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ConceptHoverSource, DocumentService } from '../service/types';

export interface NotesHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  /** Adds a document service to the composite (routes requests for the docs it accepts). */
  addService(service: DocumentService): void;
  /** Concept hovers appended after every other service's hover, in every document kind. */
  setConceptSource(source: ConceptHoverSource): void;
}

export function registerNotes(_host: NotesHost): void {
  // Filled in by the knowledge-notes work.
}
