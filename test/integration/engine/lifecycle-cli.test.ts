// The whole lifecycle through the real `spectrum` CLI: up, ps, inspect, logs, exec, run, down,
// and nothing left after `down --all` (processes, mounts, cgroups, state and runtime dirs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { sandboxWorld, emptyLeftovers, type SandboxWorld } from './sandbox-env';
import type { SandboxInfo } from '../../../engine/api';

let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
  world.write('edge.worker.js', 'export default { fetch() { return new Response("ok"); } };\n');
  world.write(
    'many.sandbox.yaml',
    `name: busy
isolation: container
image: busybox
command: [/bin/sh, -c, "echo started-busy; while true; do :; done"]
---
name: sleeper
isolation: gvisor
image: busybox
command: [/bin/sh, -c, "echo started-sleeper; sleep 600"]
---
name: edge
isolation: isolate
worker: ./edge.worker.js
`,
  );
});

after(async () => {
  await world.close();
});

describe('spectrum CLI lifecycle', () => {
  let launched: SandboxInfo[] = [];

  test('up --json launches every sandbox of the file', () => {
    const r = world.cli(['up', 'many.sandbox.yaml', '--json']);
    assert.equal(r.status, 0, r.stderr);
    launched = JSON.parse(r.stdout) as SandboxInfo[];
    assert.deepEqual(launched.map((s) => s.name).sort(), ['busy', 'edge', 'sleeper']);
    for (const s of launched) assert.match(s.id, new RegExp(`^${s.name}-[0-9a-f]{6}$`));
  });

  test('ps --json lists them running, owned by cli', () => {
    const r = world.cli(['ps', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const list = JSON.parse(r.stdout) as SandboxInfo[];
    assert.equal(list.length, 3);
    for (const s of list) {
      assert.equal(s.state, 'running', `${s.id}: ${JSON.stringify(s.extra)}`);
      assert.equal(s.owner, 'cli');
    }
  });

  test('inspect by name: a busy sandbox shows memory and CPU', async () => {
    const inspect = () => {
      const r = world.cli(['inspect', 'busy']);
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as SandboxInfo;
    };
    const cpuSeconds = (i: SandboxInfo) => Number(i.extra?.cpuSeconds);
    const info = inspect();
    assert.equal(info.isolation, 'container');
    assert.equal(info.runtime, 'runc');
    assert.match(info.runtimeVersion ?? '', /\d/);
    assert.ok(info.pid && info.pid > 0);
    assert.ok((info.memoryBytes ?? 0) > 0, `memory ${info.memoryBytes}`);
    assert.ok(Number.isFinite(cpuSeconds(info)), `cpuSeconds ${JSON.stringify(info.extra)}`);
    assert.ok((info.uptimeMs ?? 0) > 0);
    // The busy loop's CPU shows: its CPU time grows and a sample reads above zero. Waited for as
    // a condition (a loaded machine can starve one short sample), not judged against a speed.
    let later = info;
    const deadline = Date.now() + 60_000;
    while (!(cpuSeconds(later) > cpuSeconds(info) && (later.cpuPercent ?? 0) > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      later = inspect();
    }
    assert.ok(cpuSeconds(later) > cpuSeconds(info), `CPU time stayed at ${cpuSeconds(info)} s`);
    assert.ok((later.cpuPercent ?? 0) > 0, `cpu ${later.cpuPercent}`);
    assert.ok((later.cpuPercent ?? 0) <= 100 * os.cpus().length + 1, `cpu ${later.cpuPercent} % on ${os.cpus().length} cores`);
    assert.match(info.network, /none/);
    assert.ok(info.rootfs && info.logPath && info.specPath?.endsWith('many.sandbox.yaml'));
  });

  test('logs shows captured output', () => {
    const r = world.cli(['logs', 'sleeper']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /started-sleeper/);
  });

  test('exec runs inside (container and gVisor) and passes the exit code through', () => {
    const a = world.cli(['exec', 'busy', '--', '/bin/sh', '-c', 'echo inside-$(hostname); exit 7']);
    assert.equal(a.status, 7);
    assert.match(a.stdout, /inside-busy/);
    const b = world.cli(['exec', 'sleeper', '--', '/bin/uname', '-r']);
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stdout, /^\d+\.\d+/);
  });

  test('exec on an isolate says why not (exit 125)', () => {
    const r = world.cli(['exec', 'edge', '--', 'ls']);
    assert.equal(r.status, 125);
    assert.match(r.stderr, /no exec/);
  });

  test('down by name tears one down', () => {
    const r = world.cli(['down', 'edge']);
    assert.equal(r.status, 0, r.stderr);
    const list = JSON.parse(world.cli(['ps', '--json']).stdout) as SandboxInfo[];
    assert.deepEqual(list.map((s) => s.name).sort(), ['busy', 'sleeper']);
  });

  test('run streams output and exits with the sandbox\'s own code', () => {
    world.write('exit3.sandbox.yaml', 'name: three\nisolation: container\nimage: busybox\ncommand: [/bin/sh, -c, "echo out-three; exit 3"]\n');
    const r = world.cli(['run', 'exit3.sandbox.yaml']);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stdout, /out-three/);
  });

  test('logs -f follows until the sandbox ends', () => {
    world.write('tick.sandbox.yaml', 'name: tick\nisolation: container\nimage: busybox\ncommand: [/bin/sh, -c, "for i in 1 2 3; do echo tick-$i; sleep 0.3; done"]\n');
    assert.equal(world.cli(['up', 'tick.sandbox.yaml']).status, 0);
    const r = world.cli(['logs', '-f', 'tick'], { timeoutMs: 15_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /tick-1\ntick-2\ntick-3\n/);
  });

  test('down --all leaves zero processes, mounts, cgroups and state', () => {
    const r = world.cli(['down', '--all']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 3); // busy, sleeper, tick (exited)
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });
});
