// `spectrum mcp`: the agent tools over the Model Context Protocol (stdio), through the official
// SDK. Every failure, the engine's and the policy's, comes back as a tool result with isError and
// the reason; nothing an agent sends can crash the server. Each sandbox's log is a resource.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { VERSION } from '../cli/help';
import type { AgentSession } from './session';
import { callTool, resultText, TOOL_INFO, TOOL_SCHEMAS, type ToolName } from './tools';

export const LOG_URI_PREFIX = 'spectrum://sandboxes/';

export function createMcpServer(session: AgentSession): McpServer {
  const server = new McpServer(
    { name: 'isolation-spectrum', title: 'Isolation Spectrum sandboxes', version: VERSION },
    { instructions: 'Run code in isolated sandboxes on this machine (containers, gVisor, microVMs, VMs). create_sandbox first, then run_command, write_file and read_file with its id; destroy_sandbox when done. The user\'s policy decides which levels, images and networks are allowed.' },
  );
  for (const name of Object.keys(TOOL_SCHEMAS) as ToolName[]) {
    const info = TOOL_INFO[name];
    server.registerTool(
      name,
      {
        title: info.title,
        description: info.description,
        inputSchema: TOOL_SCHEMAS[name],
        annotations: { title: info.title, readOnlyHint: info.readOnly, destructiveHint: info.destructive, openWorldHint: false },
      },
      async (args: Record<string, unknown>): Promise<CallToolResult> => {
        try {
          const result = await callTool(session, name, args);
          return { content: [{ type: 'text', text: resultText(name, result) }], structuredContent: result as Record<string, unknown> };
        } catch (err) {
          const e = err as Error & { fix?: string };
          return { isError: true, content: [{ type: 'text', text: `${name} failed: ${e.message}${e.fix ? ` (fix: ${e.fix})` : ''}` }] };
        }
      },
    );
  }
  server.registerResource(
    'sandbox-logs',
    new ResourceTemplate(`${LOG_URI_PREFIX}{id}/logs`, {
      list: async () => ({
        resources: session.ids().map((id) => ({ uri: `${LOG_URI_PREFIX}${id}/logs`, name: `${id} logs`, mimeType: 'text/plain' })),
      }),
    }),
    { title: 'Sandbox logs', description: 'The captured output of a sandbox this agent created (the last 64 KiB).', mimeType: 'text/plain' },
    async (uri, vars) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: await session.logs(String(vars.id)) }] }),
  );
  return server;
}

/** Serves until the transport closes; then tears every sandbox of the session down. */
export async function serveMcp(session: AgentSession, transport: Transport): Promise<void> {
  const server = createMcpServer(session);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  await closed;
}
