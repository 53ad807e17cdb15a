// Wires the pure language service to an LSP connection. Nothing else lives here: every handler
// is one call into the service, guarded so the server survives anything a document can contain.
// Run as a program (`node dist/server.js --stdio`) it listens on the transport argv names.
import { CodeLensRefreshRequest, createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { registerNotes } from './notes/register';
import { RunningSandboxesNotification, type RunningSandboxInfo } from './protocol';
import { createLanguageService } from './service/index';
import { nodeFileSystem, type FileSystem } from './service/fs';
import { SETTINGS_SECTION, toResourceSettings } from './service/settings';
import { storeCatalog, type ImageCatalog } from './service/sandbox/imageCatalog';
import { enginePaths } from '../engine/state/paths';

/** `images`: the engine's image store (the same cache directory `spectrum` uses), read-only. */
export function startServer(connection: Connection, fs: FileSystem = nodeFileSystem(), images: ImageCatalog = storeCatalog(enginePaths(process.env).cache)): void {
  const documents = new TextDocuments(TextDocument);
  const service = createLanguageService({ fs, images });
  const published = new Set<string>();
  let canPullSettings = false;
  let canRefreshLenses = false;

  function guard<A extends unknown[], R>(name: string, fallback: R, fn: (...a: A) => R | Promise<R>): (...a: A) => Promise<R> {
    return async (...a: A) => {
      try {
        return await fn(...a);
      } catch (e) {
        connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      }
    };
  }

  function withDoc<P extends { textDocument: { uri: string } }, R>(name: string, fallback: R, fn: (doc: TextDocument, p: P) => R | Promise<R>) {
    return guard(name, fallback, (p: P) => {
      const doc = documents.get(p.textDocument.uri);
      return doc ? fn(doc, p) : fallback;
    });
  }

  // Settings are pulled for this very resource on every pass: nothing is cached between them.
  const validate = guard('diagnostics', undefined, async (doc: TextDocument) => {
    if (!service.accepts(doc)) {
      if (published.delete(doc.uri)) await connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
      return;
    }
    const raw = canPullSettings ? await connection.workspace.getConfiguration({ scopeUri: doc.uri, section: SETTINGS_SECTION }) : undefined;
    const diagnostics = await service.diagnostics(doc, toResourceSettings(raw));
    const current = documents.get(doc.uri);
    if (!current || current.version !== doc.version) return;
    published.add(doc.uri);
    await connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  });
  // One document at a time, yielding between them: a burst of hundreds of validations (the notes
  // index moved, settings changed) must not queue ahead of the hover or completion being typed.
  let revalidating: Promise<void> | undefined;
  let again = false;
  const revalidateAll = (): void => {
    if (revalidating) {
      again = true;
      return;
    }
    revalidating = (async () => {
      do {
        again = false;
        for (const d of documents.all()) {
          await new Promise((r) => setImmediate(r));
          await validate(d);
        }
      } while (again);
    })().finally(() => (revalidating = undefined));
  };

  connection.onInitialize((params) => {
    canPullSettings = !!params.capabilities?.workspace?.configuration;
    canRefreshLenses = !!params.capabilities?.workspace?.codeLens?.refreshSupport;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', '/', '"', '-', '.', '[', '#'] },
        codeActionProvider: { codeActionKinds: ['quickfix', 'refactor.rewrite'] },
        codeLensProvider: { resolveProvider: false },
        documentSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: true,
        documentLinkProvider: { resolveProvider: false },
        documentFormattingProvider: true,
        workspaceSymbolProvider: true,
      },
      serverInfo: { name: 'isolation-spectrum' },
    };
  });

  connection.onHover(withDoc('hover', null, (d, p) => service.hover(d, p.position)));
  connection.onCompletion(withDoc('completion', null, (d, p) => service.completion(d, p.position)));
  connection.onCodeAction(withDoc('codeAction', [], (d, p) => service.codeActions(d, p.range, p.context)));
  connection.onCodeLens(withDoc('codeLens', [], (d) => service.codeLenses(d)));
  connection.onDocumentSymbol(withDoc('documentSymbol', [], (d) => service.documentSymbols(d)));
  connection.onDefinition(withDoc('definition', null, (d, p) => service.definition(d, p.position)));
  connection.onReferences(withDoc('references', [], (d, p) => service.references(d, p.position, p.context.includeDeclaration)));
  connection.onRenameRequest(withDoc('rename', null, (d, p) => service.rename(d, p.position, p.newName)));
  connection.onDocumentLinks(withDoc('documentLinks', [], (d) => service.documentLinks(d)));
  connection.onDocumentFormatting(withDoc('formatting', [], (d, p) => service.format(d, p.options)));
  connection.onWorkspaceSymbol(guard('workspaceSymbol', [], (p: { query: string }) => service.workspaceSymbols(p.query)));

  connection.onNotification(
    RunningSandboxesNotification,
    guard('runningSandboxes', undefined, async (p: { sandboxes: RunningSandboxInfo[] }) => {
      service.setRunningSandboxes(Array.isArray(p?.sandboxes) ? p.sandboxes : []);
      if (canRefreshLenses) await connection.sendRequest(CodeLensRefreshRequest.type);
    }),
  );

  connection.onDidChangeConfiguration(revalidateAll);
  // A pull or rmi (from the editor or a shell) changes which images are "not pulled".
  const stopImages = images.onDidChange(revalidateAll);
  connection.onExit(stopImages);
  documents.onDidChangeContent(({ document }) => void validate(document));
  documents.onDidClose(({ document }) => {
    if (published.delete(document.uri)) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  registerNotes({
    connection,
    documents,
    addService: (s) => service.addService(s),
    setConceptSource: (s) => service.setConceptSource(s),
    revalidate: revalidateAll,
  });
  documents.listen(connection);
  connection.listen();
}

// Bundled as dist/server.js, this module is the program; imported by tests, it only exports.
if (typeof require !== 'undefined' && require.main === module) startServer(createConnection(ProposedFeatures.all));
