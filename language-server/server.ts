// Wires the pure language service to an LSP connection. Nothing else lives here.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDocument } from 'yaml';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
}));

// Placeholder until the language service lands: YAML syntax errors only.
documents.onDidChangeContent(({ document }) => {
  const doc = parseDocument(document.getText(), { prettyErrors: false });
  connection.sendDiagnostics({
    uri: document.uri,
    diagnostics: doc.errors.map((e) => ({
      range: { start: document.positionAt(e.pos[0]), end: document.positionAt(e.pos[1]) },
      message: e.message,
      severity: 1,
      source: 'isolation-spectrum',
      code: 'yaml-syntax',
    })),
  });
});

documents.listen(connection);
connection.listen();
