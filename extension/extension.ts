// Extension entry: starts the language client. Thin: no sandbox or language logic here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc },
  };
  const output = vscode.window.createOutputChannel('Isolation Spectrum', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'sandbox' }],
    outputChannel: output,
  };
  client = new LanguageClient('isolationSpectrum', 'Isolation Spectrum', serverOptions, clientOptions);
  context.subscriptions.push(output, client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
