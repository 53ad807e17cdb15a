// The composite language service: routes each request to the DocumentService that accepts the
// document (Firecracker, OCI, sandbox specs, then services added later such as the notes), and
// appends concept hovers after the config hover, one hover per position.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeActionContext, CodeLens, CompletionList, Definition, Diagnostic, DocumentLink, DocumentSymbol, FormattingOptions, Hover, Location, MarkupContent, Position, Range, TextEdit, WorkspaceEdit, WorkspaceSymbol } from 'vscode-languageserver-types';
import type { RunningSandboxInfo } from '../protocol';
import { createFirecrackerService } from './firecracker/firecrackerService';
import { noFileSystem, type FileSystem } from './fs';
import { createOciService } from './oci/ociService';
import { createPolicyService } from './policy/policyService';
import type { ImageCatalog } from './sandbox/imageCatalog';
import { createSandboxService } from './sandbox/sandboxService';
import type { ConceptHoverSource, DocumentService, ResourceSettings } from './types';

export interface LanguageServiceOptions {
  fs?: FileSystem;
  /** The local image store (`image:` completion, hover, not-pulled hints); none in plain tests. */
  images?: ImageCatalog;
}

export interface LanguageService {
  addService(service: DocumentService): void;
  setConceptSource(source: ConceptHoverSource | undefined): void;
  setRunningSandboxes(sandboxes: readonly RunningSandboxInfo[]): void;
  /** Whether any service owns the document (the server publishes nothing for the others). */
  accepts(doc: TextDocument): boolean;
  diagnostics(doc: TextDocument, settings?: ResourceSettings): Promise<Diagnostic[]>;
  hover(doc: TextDocument, pos: Position): Promise<Hover | null>;
  completion(doc: TextDocument, pos: Position): Promise<CompletionList | null>;
  codeActions(doc: TextDocument, range: Range, context: CodeActionContext): Promise<CodeAction[]>;
  codeLenses(doc: TextDocument): Promise<CodeLens[]>;
  documentSymbols(doc: TextDocument): DocumentSymbol[];
  definition(doc: TextDocument, pos: Position): Promise<Definition | null>;
  references(doc: TextDocument, pos: Position, includeDeclaration: boolean): Promise<Location[]>;
  rename(doc: TextDocument, pos: Position, newName: string): Promise<WorkspaceEdit | null>;
  documentLinks(doc: TextDocument): Promise<DocumentLink[]>;
  format(doc: TextDocument, options: FormattingOptions): TextEdit[];
  workspaceSymbols(query: string): Promise<WorkspaceSymbol[]>;
}

function markdownOf(h: Hover): string {
  const c = h.contents as MarkupContent | string | { value: string } | (string | { value: string })[];
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n\n');
  return c.value;
}

export function createLanguageService(options: LanguageServiceOptions = {}): LanguageService {
  const fs = options.fs ?? noFileSystem;
  const sandbox = createSandboxService(fs, options.images);
  const services: DocumentService[] = [createFirecrackerService(fs), createOciService(fs), createPolicyService(), sandbox];
  let concepts: ConceptHoverSource | undefined;
  const route = (doc: TextDocument) => services.find((s) => s.accepts(doc));

  return {
    addService: (s) => void services.push(s),
    setConceptSource: (s) => void (concepts = s),
    setRunningSandboxes: (list) => sandbox.setRunning(list),
    accepts: (doc) => !!route(doc),
    async diagnostics(doc, settings) {
      return (await route(doc)?.diagnostics?.(doc, settings)) ?? [];
    },
    async hover(doc, pos) {
      const own = (await route(doc)?.hover?.(doc, pos)) ?? null;
      const concept = concepts?.conceptHover(doc, pos) ?? null;
      if (!own || !concept) return own ?? concept;
      return { contents: { kind: 'markdown', value: `${markdownOf(own)}\n\n---\n\n${markdownOf(concept)}` }, ...(own.range ? { range: own.range } : {}) };
    },
    async completion(doc, pos) {
      return (await route(doc)?.completion?.(doc, pos)) ?? null;
    },
    async codeActions(doc, range, context) {
      return (await route(doc)?.codeActions?.(doc, range, context)) ?? [];
    },
    async codeLenses(doc) {
      return (await route(doc)?.codeLenses?.(doc)) ?? [];
    },
    documentSymbols: (doc) => route(doc)?.documentSymbols?.(doc) ?? [],
    async definition(doc, pos) {
      return (await route(doc)?.definition?.(doc, pos)) ?? null;
    },
    async references(doc, pos, includeDeclaration) {
      return (await route(doc)?.references?.(doc, pos, includeDeclaration)) ?? [];
    },
    async rename(doc, pos, newName) {
      return (await route(doc)?.rename?.(doc, pos, newName)) ?? null;
    },
    async documentLinks(doc) {
      return (await route(doc)?.documentLinks?.(doc)) ?? [];
    },
    format: (doc, opts) => route(doc)?.format?.(doc, opts) ?? [],
    async workspaceSymbols(query) {
      const all = await Promise.all(services.map((s) => s.workspaceSymbols?.(query) ?? []));
      return all.flat();
    },
  };
}
