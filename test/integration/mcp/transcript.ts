// Records one MCP session (requests and results, as JSON) against the real server into a
// Markdown file: `node --import tsx test/integration/mcp/transcript.ts OUT.md`. Not a test: the
// closing note's transcript, reproducible.
import { writeFileSync } from 'node:fs';
import { debianPythonLayout } from '../../helpers/debian-image';
import { sandboxWorld } from '../engine/sandbox-env';
import { connectMcp, writePolicy } from './mcp-client';

async function main(out: string): Promise<void> {
  const world = sandboxWorld();
  const layout = await debianPythonLayout();
  const image = `oci-layout:${layout}:python`;
  const policy = `minLevel: gvisor\nimages: [busybox, "oci-layout:${layout}:*"]\nnetwork: [none]\nmaxSandboxes: 3\nmaxMemory: 256Mi\n`;
  writePolicy(world, policy);
  const lines: string[] = ['# One `spectrum mcp` session', '', `Recorded ${new Date().toISOString()} with the SDK's client over stdio. Policy:`, '', '```yaml', policy.split(layout).join('<cache>/layout'), '```', ''];
  const mcp = await connectMcp(world, 'transcript');
  const step = async (tool: string, args: Record<string, unknown>) => {
    const t = performance.now();
    const r = await mcp.call(tool, args);
    const ms = Math.round(performance.now() - t);
    lines.push(`## ${tool} (${ms} ms)`, '', '```json', `→ ${JSON.stringify(args).split(layout).join('<cache>/layout')}`, `← ${JSON.stringify({ isError: r.isError ?? false, content: r.content }, null, 1).split(layout).join('<cache>/layout')}`, '```', '');
    return r.structuredContent as Record<string, string>;
  };
  try {
    const { tools } = await mcp.client.listTools();
    lines.push(`## tools/list`, '', tools.map((t) => `- \`${t.name}\`: ${t.description}`).join('\n'), '');
    await step('create_sandbox', { level: 'container', image });
    await step('create_sandbox', { network: 'outbound', image });
    const s = await step('create_sandbox', { level: 'gvisor', image, name: 'demo' });
    await step('write_file', { sandbox: s.id, path: '/tmp/fib.py', content: 'import sys\na, b = 0, 1\nfor _ in range(int(sys.argv[1])):\n    a, b = b, a + b\nprint(a)\n' });
    await step('run_command', { sandbox: s.id, argv: ['python3', '/tmp/fib.py', '50'] });
    await step('run_command', { sandbox: s.id, shell: 'uname -sr; python3 -c "open(\'/tmp/out.txt\',\'w\').write(\'hello from gVisor\')"; ls /tmp' });
    await step('read_file', { sandbox: s.id, path: '/tmp/out.txt' });
    const f = await step('fork', { sandbox: s.id });
    await step('run_command', { sandbox: f.fork, argv: ['cat', '/tmp/out.txt'] });
    await step('list_sandboxes', {});
    await step('snapshot', { sandbox: f.fork });
    await step('destroy_sandbox', { sandbox: f.sandbox });
    lines.push('## (client closes stdin)', '', 'The server tears down what is left and exits.', '');
  } finally {
    await mcp.close();
    lines.push('```', mcp.stderr().replace(new RegExp(world.root, 'g'), '<ws>').trim(), '```', '');
    await world.close();
    await world.engine.snapshots().then((list) => Promise.all(list.map((x) => world.engine.deleteSnapshot(x.name)))).catch(() => undefined);
    writeFileSync(out, lines.join('\n'));
  }
}

void main(process.argv[2] ?? 'transcript.md');
