// The agent tools as VS Code language-model tools, and `spectrum mcp` offered to VS Code's MCP
// support. Same tools, schemas and session as the MCP server (engine/mcp): this file only adapts
// them. Run and destroy ask the user first. Sandboxes get the owner `agent:window-<pid>`, so the
// Sandboxes view shows them under Agent and the monitors tear them down with this window.
import path from 'node:path';
import * as vscode from 'vscode';
import type { Engine } from '../../engine/api';
import { POLICY_FILE } from '../../engine/mcp/policy';
import { AgentSession } from '../../engine/mcp/session';
import { callTool, resultText, TOOL_INFO, TOOL_SCHEMAS, type ToolName } from '../../engine/mcp/tools';
import { lmApi, lmClasses, textResult, type PreparedInvocation } from './lmApi';


export { LM_TOOL_PREFIX } from '../../engine/mcp/tool-contributions';
import { LM_TOOL_PREFIX } from '../../engine/mcp/tool-contributions';
export const MCP_PROVIDER_ID = 'isolationSpectrum.mcp';

function policyFile(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return path.join(folder ?? process.cwd(), POLICY_FILE);
}

function confirmation(name: ToolName, input: Record<string, unknown>): PreparedInvocation | undefined {
  if (name === 'run_command') {
    const cmd = typeof input.shell === 'string' ? input.shell : Array.isArray(input.argv) ? JSON.stringify(input.argv) : '';
    const md = new vscode.MarkdownString(`Run in sandbox \`${String(input.sandbox)}\`:`);
    md.appendCodeblock(cmd, 'sh');
    return { invocationMessage: `Running a command in ${String(input.sandbox)}`, confirmationMessages: { title: 'Run a command in a sandbox?', message: md } };
  }
  if (name === 'destroy_sandbox') {
    return { invocationMessage: `Destroying ${String(input.sandbox)}`, confirmationMessages: { title: 'Destroy a sandbox?', message: `Tear down \`${String(input.sandbox)}\`? Everything in it is lost.` } };
  }
  return { invocationMessage: `${TOOL_INFO[name].title}…` };
}

export function registerAgentTools(context: vscode.ExtensionContext, engine: Engine, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const lm = lmApi();
  const out: vscode.Disposable[] = [];
  if (!lm?.registerTool) {
    log.info('this VS Code has no language-model tools API: the agent tools are not offered');
    return out;
  }
  let session: AgentSession | undefined;
  const getSession = () => (session ??= new AgentSession({ engine, owner: `agent:window-${process.pid}`, policyFile: policyFile(), onNote: (s) => log.info(s) }));
  for (const name of Object.keys(TOOL_SCHEMAS) as ToolName[]) {
    out.push(
      lm.registerTool(`${LM_TOOL_PREFIX}${name}`, {
        prepareInvocation: (o) => confirmation(name, (o.input ?? {}) as Record<string, unknown>),
        async invoke(o) {
          // Nothing is launched from an untrusted workspace (its policy file is the workspace's).
          if (!vscode.workspace.isTrusted) return textResult(`${name} failed: this workspace is not trusted, so no sandbox is launched from it`);
          const parsed = TOOL_SCHEMAS[name].safeParse(o.input ?? {});
          if (!parsed.success) return textResult(`${name} failed: invalid input: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`);
          try {
            return textResult(resultText(name, await callTool(getSession(), name, parsed.data as Record<string, unknown>)));
          } catch (err) {
            return textResult(`${name} failed: ${(err as Error).message}`);
          }
        },
      }),
    );
  }
  out.push({ dispose: () => void session?.close().catch(() => undefined) });
  const { McpStdioServerDefinition: Definition } = lmClasses();
  if (lm.registerMcpServerDefinitionProvider && Definition) {
    out.push(
      lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
        provideMcpServerDefinitions() {
          // The extension host's own runtime runs the CLI (Electron acts as Node with this variable).
          const def = new (Definition as unknown as new (label: string, command: string, args: string[], env: Record<string, string>, version: string) => { cwd?: vscode.Uri })(
            'Isolation Spectrum sandboxes',
            process.execPath,
            [context.asAbsolutePath(path.join('dist', 'cli.js')), 'mcp'],
            { ELECTRON_RUN_AS_NODE: '1' },
            String(context.extension.packageJSON.version ?? '0'),
          );
          const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
          if (folder) def.cwd = folder;
          return vscode.workspace.isTrusted ? [def] : [];
        },
      }),
    );
  }
  return out;
}
