// The agent tools, declared once: name, description, strict input schema and what each calls on
// the session. The MCP server registers them as MCP tools, the extension as VS Code
// language-model tools (package.json carries their JSON Schemas; a unit test keeps both equal).
import { z } from 'zod';
import { AGENT_LEVELS } from './policy';
import type { AgentSession } from './session';

const sandbox = z.string().min(1).max(128).describe('The sandbox id (or name) create_sandbox returned.');
const absPath = z.string().min(1).max(4096).regex(/^\//, 'an absolute path').describe('An absolute path inside the sandbox.');

export const TOOL_SCHEMAS = {
  create_sandbox: z
    .object({
      level: z.enum(AGENT_LEVELS).optional().describe('Isolation level. Omitted: the weakest level the policy allows. container < gvisor < microvm < vm.'),
      image: z.string().min(1).max(512).optional().describe('An OCI image (python:3.12-slim, busybox...). Omitted: busybox. It needs /bin/sh.'),
      memory: z.string().regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi)?$/).optional().describe('Memory limit, e.g. 256Mi. Omitted: the policy maximum.'),
      cpus: z.number().positive().max(64).optional().describe('CPU limit. Omitted: 1.'),
      network: z.enum(['none', 'outbound', 'host']).optional().describe('none (default, loopback only) or outbound, if the policy lists it.'),
      ports: z.array(z.string().max(64)).max(16).optional().describe('Ports published on 127.0.0.1, HOSTPORT:PORT, if the policy allows ports.'),
      writable_root: z.boolean().optional().describe('Let commands write anywhere (into a throw-away layer). Default false: only /tmp is writable.'),
      name: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,39}$/).optional().describe('A short name for the sandbox (its id is NAME-6HEX).'),
    })
    .strict(),
  run_command: z
    .object({
      sandbox,
      argv: z.array(z.string().max(65536)).min(1).max(1024).optional().describe('The command as an array, run without a shell, e.g. ["python3", "-c", "print(1)"].'),
      shell: z.string().min(1).max(65536).optional().describe('A command line run by /bin/sh -c inside the sandbox. Give argv or shell, not both.'),
      timeout_ms: z.number().int().min(1).max(600_000).optional().describe('Kill the command past this many milliseconds (default 60000).'),
      max_output_bytes: z.number().int().min(1).max(1_048_576).optional().describe('Cap on stdout and on stderr each (default 65536); a marker says what was cut.'),
    })
    .strict(),
  write_file: z
    .object({
      sandbox,
      path: absPath,
      content: z.string().max(8 * 1024 * 1024).describe('The file content.'),
      encoding: z.enum(['utf8', 'base64']).optional().describe('How content is encoded (default utf8).'),
      mode: z.number().int().min(0).max(0o7777).optional().describe('Permission bits, e.g. 493 for 0755 (default 0644).'),
    })
    .strict(),
  read_file: z
    .object({
      sandbox,
      path: absPath,
      encoding: z.enum(['utf8', 'base64']).optional().describe('utf8 (default) or base64 for binary files.'),
      max_bytes: z.number().int().min(1).max(8 * 1024 * 1024).optional().describe('Return at most this many bytes (default 262144).'),
    })
    .strict(),
  list_sandboxes: z.object({}).strict(),
  destroy_sandbox: z.object({ sandbox }).strict(),
  snapshot: z.object({ sandbox, name: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/).optional().describe('The snapshot name (default NAME-TIME).') }).strict(),
  fork: z.object({ sandbox }).strict(),
};

export type ToolName = keyof typeof TOOL_SCHEMAS;

export interface ToolInfo {
  title: string;
  description: string;
  /** Changes or ends something the agent cannot get back: front ends ask the user first. */
  destructive: boolean;
  readOnly: boolean;
}

export const TOOL_INFO: Record<ToolName, ToolInfo> = {
  create_sandbox: {
    title: 'Create sandbox',
    description: 'Starts an isolated sandbox (a container, gVisor, a microVM or a VM) to run code in, within the user\'s agent policy (.spectrum/agent-policy.yaml: lowest level, images, network, count, lifetime, memory). Returns its id.',
    destructive: false,
    readOnly: false,
  },
  run_command: {
    title: 'Run command in sandbox',
    description: 'Runs a command inside a sandbox (argv, or a shell string run by /bin/sh -c inside it) and returns stdout, stderr and the exit code; output past the cap is cut with a marker.',
    destructive: true,
    readOnly: false,
  },
  write_file: { title: 'Write file in sandbox', description: 'Writes a file inside a sandbox (replacing it if it exists).', destructive: false, readOnly: false },
  read_file: { title: 'Read file from sandbox', description: 'Reads a file from inside a sandbox.', destructive: false, readOnly: true },
  list_sandboxes: { title: 'List sandboxes', description: 'Lists the sandboxes this agent created, with level, state and when each expires.', destructive: false, readOnly: true },
  destroy_sandbox: { title: 'Destroy sandbox', description: 'Tears a sandbox down; everything in it is lost.', destructive: true, readOnly: false },
  snapshot: {
    title: 'Snapshot sandbox',
    description: 'Saves a sandbox\'s whole running state (gVisor; levels without snapshots say why). gVisor stops the sandbox to save it: it continues under the new id returned.',
    destructive: false,
    readOnly: false,
  },
  fork: {
    title: 'Fork sandbox',
    description: 'Makes a second sandbox that continues from where this one is now (same files in /tmp, same processes). Returns both ids (the source\'s id can change on gVisor).',
    destructive: false,
    readOnly: false,
  },
};

/** Calls the session for one tool; the arguments have passed the tool's schema. */
export async function callTool(session: AgentSession, name: ToolName, args: Record<string, unknown>): Promise<unknown> {
  const a = args as never;
  switch (name) {
    case 'create_sandbox':
      return session.create(a);
    case 'run_command':
      return session.run(a);
    case 'write_file':
      return session.writeFile(a);
    case 'read_file':
      return session.readFile(a);
    case 'list_sandboxes':
      return { sandboxes: await session.list() };
    case 'destroy_sandbox':
      return session.destroy((args as { sandbox: string }).sandbox);
    case 'snapshot':
      return session.snapshot((args as { sandbox: string }).sandbox, (args as { name?: string }).name);
    case 'fork':
      return session.fork((args as { sandbox: string }).sandbox);
  }
}

/** A tool's result as text for a model: JSON, and for commands the output as it came. */
export function resultText(name: ToolName, result: unknown): string {
  if (name === 'run_command') {
    const r = result as { exitCode: number; stdout: string; stderr: string; truncated: boolean; durationMs: number };
    return `exit code: ${r.exitCode} (${r.durationMs} ms)${r.truncated ? ', output truncated' : ''}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
  }
  return JSON.stringify(result, null, 2);
}
