// Drives the real `node dist/cli.js mcp` with the SDK's own client over stdio, inside a private
// engine world, with the agent policy a test writes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ROOT, type SandboxWorld } from '../engine/sandbox-env';

export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface McpSession {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
  /** Calls a tool; the result as the server sent it (isError included). */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Closes stdin (as a client going away does) and waits for the server to finish its tear-down and exit. */
  close(): Promise<void>;
  /** Calls a tool that must succeed; its structured result. */
  ok<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<T>;
}

/** Writes `.spectrum/agent-policy.yaml` in the world's folder (the server's working folder). */
export function writePolicy(world: SandboxWorld, text: string): string {
  const file = path.join(world.root, '.spectrum', 'agent-policy.yaml');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

export async function connectMcp(world: SandboxWorld, name = 'test-agent'): Promise<McpSession> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], cwd: world.root, env: world.env as Record<string, string>, stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  const call = async (tool: string, args: Record<string, unknown> = {}) => (await client.callTool({ name: tool, arguments: args }, undefined, { timeout: 300_000 })) as CallToolResult;
  const pid = transport.pid;
  return {
    client,
    transport,
    async close() {
      // The SDK's close signals the server after 2 s; a tear-down can take longer, so wait for the pid.
      await client.close().catch(() => undefined);
      const deadline = Date.now() + 60_000;
      while (pid && existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readStatus(pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
    stderr: () => err,
    call,
    async ok<T>(tool: string, args: Record<string, unknown> = {}): Promise<T> {
      const r = await call(tool, args);
      if (r.isError) throw new Error(`${tool} failed: ${JSON.stringify(r.content)}\nserver stderr:\n${err}`);
      return r.structuredContent as T;
    },
  };
}

export function textOf(r: CallToolResult): string {
  return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

function readStatus(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return '';
  }
}
