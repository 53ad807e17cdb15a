// The contract every document kind's service implements (sandbox specs, Firecracker configs,
// OCI bundles, knowledge notes). Pure: plain TextDocuments and LSP types in, LSP types out;
// no connection, no transport. The composite in ./index.ts routes each request to the service
// whose `accepts` says yes, and merges concept hovers from the notes service.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  CodeActionContext,
  CodeLens,
  CompletionList,
  Definition,
  Diagnostic,
  DocumentLink,
  DocumentSymbol,
  FormattingOptions,
  Hover,
  Location,
  Position,
  Range,
  TextEdit,
  WorkspaceEdit,
  WorkspaceSymbol,
} from 'vscode-languageserver-types';

/** Per-resource settings the server pulls from the client (never cached globally). */
export interface ResourceSettings {
  notes: { include: string[]; exclude: string[] };
}

export interface DocumentService {
  /** Whether this service owns the document (by language id, file name or content). */
  accepts(doc: TextDocument): boolean;
  diagnostics?(doc: TextDocument, settings?: ResourceSettings): Diagnostic[] | Promise<Diagnostic[]>;
  hover?(doc: TextDocument, pos: Position): Hover | null | Promise<Hover | null>;
  completion?(doc: TextDocument, pos: Position): CompletionList | null | Promise<CompletionList | null>;
  codeActions?(doc: TextDocument, range: Range, context: CodeActionContext): CodeAction[] | Promise<CodeAction[]>;
  codeLenses?(doc: TextDocument): CodeLens[] | Promise<CodeLens[]>;
  documentSymbols?(doc: TextDocument): DocumentSymbol[];
  definition?(doc: TextDocument, pos: Position): Definition | null | Promise<Definition | null>;
  references?(doc: TextDocument, pos: Position, includeDeclaration: boolean): Location[] | Promise<Location[]>;
  rename?(doc: TextDocument, pos: Position, newName: string): WorkspaceEdit | null | Promise<WorkspaceEdit | null>;
  documentLinks?(doc: TextDocument): DocumentLink[] | Promise<DocumentLink[]>;
  format?(doc: TextDocument, options: FormattingOptions): TextEdit[];
  workspaceSymbols?(query: string): WorkspaceSymbol[] | Promise<WorkspaceSymbol[]>;
}

/** Looks up concept terms at a position of any document (the notes service provides it). */
export interface ConceptHoverSource {
  conceptHover(doc: TextDocument, pos: Position): Hover | null;
}
