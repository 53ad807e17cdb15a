// Starts the language server (vscode-languageclient over IPC) for sandbox specs, the native
// runtime configs it understands, and Markdown notes.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'sandbox' },
  { scheme: 'file', pattern: '**/*.firecracker.json' },
  { scheme: 'file', pattern: '**/vm_config.json' },
  { scheme: 'file', pattern: '**/config.json' },
  { scheme: 'file', pattern: '**/.spectrum/agent-policy.{yaml,yml}' },
  { scheme: 'file', language: 'markdown' },
];

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    synchronize: { configurationSection: 'isolationSpectrum' },
  };
  return new LanguageClient('isolationSpectrum', 'Isolation Spectrum', serverOptions, clientOptions);
}
