// spectrum mcp: the agent tools over MCP on stdio, for any MCP client (Claude Desktop, VS Code's
// mcp.json, ...). The policy comes from .spectrum/agent-policy.yaml under the working folder
// (or --policy=FILE). Every sandbox it creates is torn down when the client goes away: stdin
// closing, SIGTERM/SIGINT/SIGHUP here, and a crash (the monitors watch this process).
import path from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadPolicyFile } from '../../mcp/policy-file';
import { POLICY_FILE } from '../../mcp/policy';
import { serveMcp } from '../../mcp/server';
import { AgentSession } from '../../mcp/session';
import { str, type VerbRun } from '../verb';

export const run: VerbRun = async (a) => {
  const policyFile = path.resolve(str(a.flags.policy) ?? a.positionals[0] ?? POLICY_FILE);
  const note = (s: string) => void process.stderr.write(`spectrum mcp: ${s}\n`);
  const loaded = loadPolicyFile(policyFile);
  note(loaded.error ?? `policy ${loaded.fromFile ? policyFile : '(defaults: no ' + POLICY_FILE + ')'}: minLevel ${loaded.policy.minLevel}, network [${loaded.policy.network.join(', ')}], at most ${loaded.policy.maxSandboxes} sandboxes`);
  const { createEngine } = await import('../../engine');
  // A long-lived host: keep a monitor started ahead so each create skips a Node start-up.
  const engine = createEngine({ prewarm: true });
  const session = new AgentSession({ engine, owner: `agent:mcp-${process.pid}`, policyFile, onNote: note });
  const transport = new StdioServerTransport();
  const stop = () => void transport.close().catch(() => undefined);
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
  process.stdout.once('error', stop); // the client went away mid-answer (EPIPE)
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(sig, stop);
  try {
    await serveMcp(session, transport);
  } finally {
    const gone = await session.close().catch((err: Error) => (note(`tear-down: ${err.message}`), [] as string[]));
    if (gone.length) note(`tore down ${gone.join(', ')}`);
    engine.dispose();
  }
  return 0;
};
