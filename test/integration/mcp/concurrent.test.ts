// Two MCP clients at once, 20 tool calls in flight together (creates past the policy's limit
// among them), then one client closes its stdin and the other's server is killed with SIGKILL:
// every sandbox of both is torn down and nothing of the world is left (processes, mounts,
// cgroups, state), by the server's own close in the first case and by the monitors in the second.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyLeftovers, sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';
import { connectMcp, textOf, writePolicy, type McpSession } from './mcp-client';

let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
  writePolicy(world, 'minLevel: gvisor\nimages: [busybox]\nmaxSandboxes: 2\nmaxMemory: 256Mi\n');
});

after(async () => {
  await world.close();
});

type Leftovers = ReturnType<SandboxWorld['leftovers']>;

async function settleLeftovers(timeoutMs: number, view: (l: Leftovers) => Leftovers): Promise<Leftovers> {
  const deadline = Date.now() + timeoutMs;
  let left = world.leftovers();
  while (JSON.stringify(view(left)) !== JSON.stringify(emptyLeftovers()) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    left = world.leftovers();
  }
  return left;
}

test('20 concurrent tool calls from two clients, then a close and a crash: nothing left', { timeout: 300_000 }, async () => {
  const clients: McpSession[] = [await connectMcp(world, 'a'), await connectMcp(world, 'b')];
  try {
    await concurrentCalls(clients);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
  // Processes, mounts, cgroups and runtime folders go at once; the crashed server's sandboxes
  // keep their records (ended, with the reason) until the next down, as every owner-gone sandbox.
  const left = await settleLeftovers(60_000, (l) => ({ ...l, sandboxes: [] }));
  assert.deepEqual({ ...left, sandboxes: [] }, emptyLeftovers());
  const kept = await world.engine.ps();
  assert.ok(kept.every((s) => s.state !== 'running' && s.state !== 'starting'), JSON.stringify(kept));
  await world.engine.downAll();
  assert.deepEqual(world.leftovers(), emptyLeftovers());
});

async function concurrentCalls(clients: McpSession[]): Promise<void> {
  const first = await Promise.all(clients.map((c) => c.ok<{ id: string }>('create_sandbox', {})));
  for (const s of first) world.ids.add(s.id);
  const calls: Promise<{ client: number; tool: string; r: Awaited<ReturnType<McpSession['call']>> }>[] = [];
  clients.forEach((c, n) => {
    const call = (tool: string, args: Record<string, unknown>) => calls.push(c.call(tool, args).then((r) => ({ client: n, tool, r })));
    // Two creates each: one fits under maxSandboxes 2, the other is refused.
    call('create_sandbox', {});
    call('create_sandbox', {});
    for (let i = 0; i < 6; i++) call('run_command', { sandbox: first[n].id, shell: `echo call-${n}-${i}` });
    call('write_file', { sandbox: first[n].id, path: `/tmp/f${n}`, content: `client ${n}` });
    call('list_sandboxes', {});
  });
  assert.equal(calls.length, 20);
  const results = await Promise.all(calls);
  for (const { client, tool, r } of results) {
    if (tool === 'create_sandbox') continue;
    assert.ok(!r.isError, `${tool} from client ${client}: ${textOf(r)}`);
    if (tool === 'run_command') assert.match(String((r.structuredContent as { stdout: string }).stdout), new RegExp(`^call-${client}-\\d\\n$`));
  }
  for (const n of [0, 1]) {
    const creates = results.filter((x) => x.client === n && x.tool === 'create_sandbox');
    const made = creates.filter((x) => !x.r.isError);
    for (const m of made) world.ids.add((m.r.structuredContent as { id: string }).id);
    assert.equal(made.length, 1, `client ${n}: ${creates.map((x) => textOf(x.r)).join(' | ')}`);
    assert.match(textOf(creates.find((x) => x.r.isError)!.r), /already has 2 sandboxes, the most maxSandboxes allows/);
  }
  const live = (await world.engine.ps()).filter((s) => s.owner.startsWith('agent:'));
  assert.equal(live.length, 4);

  // Client a closes its stdin: its server tears its two sandboxes down and exits.
  const pidB = clients[1].transport.pid!;
  await clients[0].close();
  // Server b dies without a word: its monitors notice the owner is gone.
  process.kill(pidB, 'SIGKILL');
  await clients[1].close();
}
