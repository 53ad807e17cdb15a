// `spectrum mcp` driven by the SDK's own client over stdio, against real runsc: a gVisor sandbox
// from the Debian+python3 test image (python3 -c runs in it), commands (exit codes, both streams, the output cap, the timeout), files both
// ways, its log as a resource, a fork that carries /tmp over, destroy; refusals by the policy
// (a container when it says gvisor or stronger, network when off, an unlisted host image) that
// launch nothing; and a session's sandboxes torn down when its client closes stdin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { debianPythonLayout } from '../../helpers/debian-image';
import { emptyLeftovers, sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';
import { connectMcp, textOf, writePolicy, type McpSession } from './mcp-client';

let world: SandboxWorld;
let image = '';

before(async () => {
  world = sandboxWorld();
  // Debian with python3 (cached by the set-up; built on first use otherwise).
  const layout = await debianPythonLayout();
  image = `oci-layout:${layout}:python`;
  writePolicy(world, `minLevel: gvisor\nimages: [busybox, "oci-layout:${layout}:*"]\nnetwork: [none]\nmaxSandboxes: 3\nmaxLifetime: 10m\nmaxMemory: 256Mi\n`);
});

after(async () => {
  await world.close();
});

/** Polls until nothing of the world is left (monitors tear down asynchronously after a close). */
async function assertNothingLeft(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (JSON.stringify(world.leftovers()) === JSON.stringify(emptyLeftovers())) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual(world.leftovers(), emptyLeftovers());
}

describe('spectrum mcp: a gVisor sandbox from start to end', () => {
  let mcp: McpSession;
  let id = '';
  before(async () => {
    mcp = await connectMcp(world);
  });
  after(async () => {
    await mcp.close();
  });

  test('lists the tools with strict input schemas, and the logs resource template', async () => {
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['create_sandbox', 'destroy_sandbox', 'fork', 'list_sandboxes', 'read_file', 'run_command', 'snapshot', 'write_file']);
    for (const t of tools) assert.equal(t.inputSchema.additionalProperties, false, `${t.name} accepts unknown arguments`);
    assert.equal(tools.find((t) => t.name === 'destroy_sandbox')?.annotations?.destructiveHint, true);
    const { resourceTemplates } = await mcp.client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((r) => r.uriTemplate), ['spectrum://sandboxes/{id}/logs']);
  });

  test('create_sandbox starts gVisor from the test image, owned by the agent', { timeout: 120_000 }, async () => {
    const s = await mcp.ok<{ id: string; level: string; runtime: string; network: string }>('create_sandbox', { level: 'gvisor', image, name: 'agent-it' });
    id = s.id;
    world.ids.add(id);
    assert.match(id, /^agent-it-[0-9a-f]{6}$/);
    assert.equal(s.level, 'gvisor');
    assert.equal(s.runtime, 'runsc');
    assert.match(s.network, /^none/);
    const [info] = (await world.engine.ps()).filter((p) => p.id === id);
    assert.match(info.owner, /^agent:mcp-\d+$/);
    assert.equal(info.state, 'running');
  });

  test('run_command: argv and shell, exit code and both streams, inside gVisor', async () => {
    const k = await mcp.ok<{ exitCode: number; stdout: string }>('run_command', { sandbox: id, argv: ['uname', '-r'] });
    assert.equal(k.exitCode, 0);
    // gVisor's Sentry reports its own kernel version, not the host's.
    assert.notEqual(k.stdout.trim(), (await import('node:os')).release());
    const r = await mcp.ok<{ exitCode: number; stdout: string; stderr: string; truncated: boolean }>('run_command', { sandbox: id, shell: 'echo out; echo err >&2; exit 3' });
    assert.deepEqual({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, truncated: r.truncated }, { exitCode: 3, stdout: 'out\n', stderr: 'err\n', truncated: false });
    const py = await mcp.ok<{ exitCode: number; stdout: string }>('run_command', { sandbox: id, argv: ['python3', '-c', 'import sys; print(sum(range(10)), sys.version_info[0])'] });
    assert.deepEqual([py.exitCode, py.stdout], [0, '45 3\n']);
    const both = await mcp.call('run_command', { sandbox: id, argv: ['true'], shell: 'true' });
    assert.equal(both.isError, true);
    assert.match(textOf(both), /exactly one of argv .* or shell/);
  });

  test('run_command: output past the cap is cut with a marker; a command past its timeout is killed', { timeout: 60_000 }, async () => {
    const r = await mcp.ok<{ stdout: string; truncated: boolean }>('run_command', { sandbox: id, shell: 'i=0; while [ $i -lt 2000 ]; do echo 0123456789012345678901234567890123456789; i=$((i+1)); done', max_output_bytes: 1000 });
    assert.equal(r.truncated, true);
    assert.match(r.stdout, /\[spectrum: truncated, showed 1000 of 82000 bytes\]$/);
    const t0 = Date.now();
    const slow = await mcp.call('run_command', { sandbox: id, argv: ['sleep', '20'], timeout_ms: 1000 });
    assert.equal(slow.isError, true);
    assert.match(textOf(slow), /timeout of 1000 ms/);
    assert.ok(Date.now() - t0 < 15_000, 'the timeout did not cut the command short');
    // Killed inside the sandbox too, not only its exec on the host.
    const ps = await mcp.ok<{ stdout: string }>('run_command', { sandbox: id, argv: ['/bin/sh', '-c', 'for p in /proc/[0-9]*; do cat $p/cmdline; echo; done'] });
    assert.doesNotMatch(ps.stdout, /sleep 20/);
  });

  test('write_file and read_file through cp, text and binary', async () => {
    const w = await mcp.ok<{ bytes: number }>('write_file', { sandbox: id, path: '/tmp/main.sh', content: '#!/bin/sh\necho "from a file: $1"\n', mode: 0o755 });
    assert.equal(w.bytes, 33);
    const ran = await mcp.ok<{ stdout: string }>('run_command', { sandbox: id, argv: ['/tmp/main.sh', 'yes'] });
    assert.equal(ran.stdout, 'from a file: yes\n');
    const bin = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    await mcp.ok('write_file', { sandbox: id, path: '/tmp/bin', content: bin.toString('base64'), encoding: 'base64' });
    const back = await mcp.ok<{ content: string; bytes: number }>('read_file', { sandbox: id, path: '/tmp/bin', encoding: 'base64' });
    assert.equal(back.content, bin.toString('base64'));
    const text = await mcp.ok<{ content: string }>('read_file', { sandbox: id, path: '/tmp/main.sh' });
    assert.equal(text.content, '#!/bin/sh\necho "from a file: $1"\n');
    // The root is read-only unless writable_root was asked for.
    const ro = await mcp.call('write_file', { sandbox: id, path: '/etc/x', content: 'no' });
    assert.equal(ro.isError, true);
    const rel = await mcp.call('read_file', { sandbox: id, path: 'tmp/main.sh' });
    assert.equal(rel.isError, true);
    assert.match(textOf(rel), /absolute path/);
  });

  test('the sandbox log is a resource', async () => {
    const { resources } = await mcp.client.listResources();
    assert.deepEqual(resources.map((r) => r.uri), [`spectrum://sandboxes/${id}/logs`]);
    const r = await mcp.client.readResource({ uri: `spectrum://sandboxes/${id}/logs` });
    assert.match(String((r.contents[0] as { text: string }).text), /spectrum-agent-sandbox-ready/);
  });

  test('fork: a second sandbox that continues from the first, /tmp included', { timeout: 180_000 }, async () => {
    await mcp.ok('run_command', { sandbox: id, shell: 'echo before-fork > /tmp/state' });
    const f = await mcp.ok<{ sandbox: string; fork: string }>('fork', { sandbox: id });
    world.ids.add(f.sandbox);
    world.ids.add(f.fork);
    assert.notEqual(f.fork, f.sandbox);
    for (const s of [f.sandbox, f.fork]) {
      const r = await mcp.ok<{ stdout: string }>('run_command', { sandbox: s, argv: ['cat', '/tmp/state'] });
      assert.equal(r.stdout, 'before-fork\n', `${s} lost /tmp`);
    }
    // They are two sandboxes now: a write in one does not show in the other.
    await mcp.ok('run_command', { sandbox: f.fork, shell: 'echo fork-only > /tmp/state' });
    assert.equal((await mcp.ok<{ stdout: string }>('run_command', { sandbox: f.sandbox, argv: ['cat', '/tmp/state'] })).stdout, 'before-fork\n');
    // The fork's temporary snapshot is gone.
    assert.deepEqual(await world.engine.snapshots(), []);
    const listed = await mcp.ok<{ sandboxes: { id: string }[] }>('list_sandboxes');
    assert.deepEqual(listed.sandboxes.map((s) => s.id).sort(), [f.sandbox, f.fork].sort());
    id = f.sandbox;
    const d = await mcp.ok<{ destroyed: string[] }>('destroy_sandbox', { sandbox: f.fork });
    assert.deepEqual(d.destroyed, [f.fork]);
  });

  test('errors are tool results: unknown sandbox, bad arguments, another owner\'s sandbox', async () => {
    const unknown = await mcp.call('run_command', { sandbox: 'nope-123456', argv: ['true'] });
    assert.equal(unknown.isError, true);
    assert.match(textOf(unknown), /agents reach only the sandboxes they created/);
    const extra = await mcp.call('list_sandboxes', { sneaky: true });
    assert.equal(extra.isError, true);
    const badLevel = await mcp.call('create_sandbox', { level: 'isolate' });
    assert.equal(badLevel.isError, true);
    // A sandbox the user launched is out of the agent's reach, even by its id.
    const [mine] = await world.engine.up(world.write('user.sandbox.yaml', 'name: users\nisolation: container\nimage: busybox\ncommand: [/bin/sh, -c, "sleep 600"]\n'));
    world.ids.add(mine.id);
    const theirs = await mcp.call('destroy_sandbox', { sandbox: mine.id });
    assert.equal(theirs.isError, true);
    assert.equal((await world.engine.inspect(mine.id)).state, 'running');
    await world.engine.down(mine.id);
  });

  test('destroy_sandbox tears it down; closing the client ends the server; nothing of the world is left', { timeout: 60_000 }, async () => {
    await mcp.ok('destroy_sandbox', { sandbox: id });
    assert.deepEqual((await mcp.ok<{ sandboxes: unknown[] }>('list_sandboxes')).sandboxes, []);
    await mcp.close();
    await assertNothingLeft();
  });
});

describe('spectrum mcp: the policy refuses, and says why', () => {
  test('a container under minLevel gvisor, network when off, an unlisted host image, too much memory: refused, nothing launched', { timeout: 60_000 }, async () => {
    const mcp = await connectMcp(world);
    try {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ level: 'container', image }, /refused by the agent policy: level container is weaker than minLevel gvisor .*agent-policy\.yaml/],
        [{ network: 'outbound' }, /refused by the agent policy: network outbound is off: network lists only \[none\]/],
        [{ image: 'oci-layout:/var/lib/images:x' }, /image oci-layout:\/var\/lib\/images:x matches none of images/],
        [{ image: `${image.replace(':python', '')}/../../../etc:python` }, /not absolute and normalised/],
        [{ memory: '1Gi' }, /memory 1Gi is above maxMemory 256Mi/],
        [{ ports: ['8080:80'] }, /publishing ports is off/],
      ];
      for (const [args, why] of cases) {
        const r = await mcp.call('create_sandbox', args);
        assert.equal(r.isError, true, JSON.stringify(args));
        assert.match(textOf(r), why);
      }
      assert.deepEqual(await world.engine.ps(), []);
    } finally {
      await mcp.close();
    }
  });

  test('an invalid policy file refuses every create (fail closed), naming the problem', async () => {
    const file = writePolicy(world, 'minLevel: container\nnetwork: [everything]\n');
    const mcp = await connectMcp(world);
    try {
      const r = await mcp.call('create_sandbox', { level: 'container' });
      assert.equal(r.isError, true);
      assert.match(textOf(r), /agent policy .* is invalid \(network must be a list of modes/);
      assert.match(mcp.stderr(), new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    } finally {
      await mcp.close();
      writePolicy(world, `minLevel: gvisor\nimages: [busybox, "${image.replace(/:python$/, ':*')}"]\nmaxSandboxes: 3\nmaxMemory: 256Mi\n`);
    }
  });
});
