// The parts of VS Code's language-model API this extension uses. They are newer than the
// `engines.vscode` floor (and @types/vscode pinned to it), so they are looked up at run time:
// on an older VS Code the tools and the MCP server definition are simply not offered.
import * as vscode from 'vscode';

export interface ToolInvocationOptions {
  input: unknown;
}

export interface PreparedInvocation {
  invocationMessage?: string;
  confirmationMessages?: { title: string; message: string | vscode.MarkdownString };
}

export interface LanguageModelTool {
  invoke(options: ToolInvocationOptions, token: vscode.CancellationToken): Promise<unknown>;
  prepareInvocation?(options: ToolInvocationOptions, token: vscode.CancellationToken): PreparedInvocation | undefined;
}

export interface McpServerDefinitionProvider {
  provideMcpServerDefinitions(token: vscode.CancellationToken): unknown[];
}

export interface LmApi {
  registerTool?(name: string, tool: LanguageModelTool): vscode.Disposable;
  registerMcpServerDefinitionProvider?(id: string, provider: McpServerDefinitionProvider): vscode.Disposable;
}

type Ctor<T> = new (...args: never[]) => T;

export interface LmClasses {
  LanguageModelToolResult?: Ctor<unknown>;
  LanguageModelTextPart?: Ctor<unknown>;
  McpStdioServerDefinition?: Ctor<{ cwd?: vscode.Uri }>;
}

export function lmApi(): LmApi | undefined {
  return (vscode as unknown as { lm?: LmApi }).lm;
}

export function lmClasses(): LmClasses {
  return vscode as unknown as LmClasses;
}

/** A tool result holding one text part (the shape `vscode.lm.invokeTool` hands back). */
export function textResult(text: string): unknown {
  const { LanguageModelToolResult: Result, LanguageModelTextPart: Text } = lmClasses();
  if (!Result || !Text) return { content: [{ value: text }] };
  return new (Result as unknown as new (parts: unknown[]) => unknown)([new (Text as unknown as new (v: string) => unknown)(text)]);
}
