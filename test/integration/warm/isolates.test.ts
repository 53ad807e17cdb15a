// Warm isolates on the real workerd: many sandboxes share one isolate host (one workerd, each
// isolate loaded through the Worker Loader), yet each answers on its own URL with its own env,
// globals and log; tear-down removes one without touching its neighbours, and the host leaves
// with its last isolate, or is cleaned up after its monitor is killed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sandboxWorld, emptyLeftovers, ROOT, type SandboxWorld } from '../engine/sandbox-env';
import { hostListener, type Probe } from '../engine/net-probe';
import { isAlive } from '../../../engine/host/procfs';
import type { SandboxInfo } from '../../../engine/api';

let world: SandboxWorld;
let probe: Probe;

const WORKER = `let hits = 0;
export default {
  async fetch(req, env) {
    const url = new URL(req.url);
    if (url.pathname === '/set') globalThis.shared = env.NAME;
    if (url.pathname === '/reach') {
      try {
        const r = await fetch('http://127.0.0.1:' + url.searchParams.get('port') + '/');
        return new Response('REACHED ' + r.status);
      } catch (err) {
        return new Response('BLOCKED ' + err.message);
      }
    }
    hits++;
    console.log('hit ' + env.NAME + ' ' + hits);
    console.error('to stderr from ' + env.NAME);
    return Response.json({ name: env.NAME, hits, shared: globalThis.shared ?? null, path: url.pathname, host: url.host });
  },
};
`;

const specOf = (name: string, extra = '') => `name: ${name}\nisolation: isolate\nworker: ./w.worker.js\ncompatibilityDate: 2025-01-01\nenv: { NAME: ${name} }\n${extra}`;

async function get(info: SandboxInfo, p: string): Promise<{ name: string; hits: number; shared: string | null; path: string; host: string }> {
  const res = await fetch(new URL(p, info.url));
  assert.equal(res.status, 200, `${info.id} answered ${res.status}`);
  return (await res.json()) as { name: string; hits: number; shared: string | null; path: string; host: string };
}

const hostInfoFile = () => path.join(world.root, 'state', 'isolation-spectrum', 'isolate-host', 'host.json');
const hostPid = (): number | undefined => (existsSync(hostInfoFile()) ? (JSON.parse(readFileSync(hostInfoFile(), 'utf8')) as { pid: number }).pid : undefined);

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

before(async () => {
  world = sandboxWorld();
  probe = await hostListener();
  world.write('w.worker.js', WORKER);
});

after(async () => {
  await probe.close();
  await world.close();
});

describe('warm isolates (one workerd isolate host)', () => {
  test('many isolates in one host answer independently and cannot see each other\'s globals', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const infos: SandboxInfo[] = [];
    for (const n of names) {
      const [info] = await world.engine.up(world.write(`${n}.sandbox.yaml`, specOf(n)));
      world.ids.add(info.id);
      infos.push(info);
    }
    const hosts = new Set(infos.map((i) => (i.extra?.host as { pid: number }).pid));
    assert.equal(hosts.size, 1, 'every isolate should share one host');
    assert.ok(infos.every((i) => i.extra?.start === 'warm'));
    assert.equal(new Set(infos.map((i) => i.url)).size, names.length, 'each isolate has its own URL');
    assert.equal(new Set(infos.map((i) => i.pid)).size, 1, 'one workerd serves them all');

    const set = await get(infos[0], '/set');
    assert.equal(set.shared, 'a');
    for (const [i, info] of infos.entries()) {
      const r = await get(info, '/x');
      assert.equal(r.name, names[i]);
      assert.equal(r.path, '/x', 'the isolate sees its own paths, as a cold one does');
      assert.equal(r.host, new URL(info.url!).host);
      assert.equal(r.shared, i === 0 ? 'a' : null, `${names[i]} saw another isolate's global`);
      assert.equal(r.hits, i === 0 ? 2 : 1, 'module state is per isolate');
    }
    const logsA = await world.engine.logs(infos[0].id);
    const logsB = await world.engine.logs(infos[1].id);
    assert.match(logsA, /hit a 2/);
    assert.match(logsA, /to stderr from a/);
    assert.doesNotMatch(logsA, /hit b/);
    assert.match(logsB, /hit b 1/);
    assert.doesNotMatch(logsB, /hit a/);

    const inspected = await world.engine.inspect(infos[0].id);
    assert.equal(inspected.state, 'running');
    assert.equal(inspected.extra?.start, 'warm');
    assert.equal((inspected.extra?.warm as { requests: number }).requests, 2);
    assert.ok(typeof (inspected.extra?.warm as { loadMs: number }).loadMs === 'number', 'the host times each isolate\'s load');
    assert.ok(typeof (inspected.extra?.warm as { firstResponseMs: number }).firstResponseMs === 'number');

    // Tear one down: it is gone, its neighbours keep running in the same host.
    const hostBefore = hostPid();
    assert.deepEqual(await world.engine.down(infos[2].id), [infos[2].id]);
    world.ids.delete(infos[2].id);
    await assert.rejects(fetch(infos[2].url!), 'a torn-down isolate must not answer');
    assert.equal(hostPid(), hostBefore);
    for (const i of [0, 1, 3, 4]) assert.equal((await get(infos[i], '/y')).name, names[i]);
    const ps = await world.engine.ps();
    assert.ok(!ps.some((s) => s.id === infos[2].id));
    assert.equal(ps.filter((s) => s.state === 'running').length, 4);

    // The last one out stops the host: no process, socket or state of it is left.
    const pid = hostPid()!;
    const workerdPid = infos[0].pid!;
    await world.engine.downAll();
    world.ids.clear();
    await waitFor(() => !isAlive(pid) && !isAlive(workerdPid), 5000, 'the host to leave with its last isolate');
    assert.equal(existsSync(hostInfoFile()), false);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('no outbound network unless the spec allows it; start: cold runs its own workerd', async () => {
    const [warm] = await world.engine.up(world.write('n.sandbox.yaml', specOf('n')));
    world.ids.add(warm.id);
    const text = await (await fetch(new URL(`/reach?port=${probe.port}`, warm.url))).text();
    assert.match(text, /^BLOCKED/);
    assert.equal(probe.connections, 0);

    const [cold] = await world.engine.up(world.write('k.sandbox.yaml', specOf('k', 'start: cold\n')));
    world.ids.add(cold.id);
    assert.equal(cold.extra?.start, 'cold');
    assert.notEqual(cold.pid, warm.pid);
    assert.equal((await get(cold, '/z')).name, 'k');
    await world.engine.downAll();
    world.ids.clear();
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('a worker that does not load fails the launch with the reason (no cold retry), nothing left', async () => {
    world.write('bad.worker.js', 'export default { fetch( {\n');
    await assert.rejects(
      world.engine.up(world.write('bad.sandbox.yaml', 'name: bad\nisolation: isolate\nworker: ./bad.worker.js\n')),
      /bad: launch failed: the worker did not load/,
    );
    assert.deepEqual(await world.engine.ps(), []);
    await waitFor(() => hostPid() === undefined && world.leftovers().processes.length === 0, 5000, 'the host to leave (its only isolate failed)');
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('run and a spec timeout work as for a cold isolate', async () => {
    const [spec] = await world.engine.specs(world.write('r.sandbox.yaml', specOf('r')));
    const r = await world.engine.run(spec, { path: '/run' });
    assert.equal(r.exitCode, 0);
    assert.equal(JSON.parse(r.output).path, '/run');

    const [t] = await world.engine.up(world.write('t.sandbox.yaml', specOf('t', 'timeout: 500ms\n')));
    world.ids.add(t.id);
    assert.equal(t.extra?.start, 'warm', String(t.extra?.startNote));
    await waitFor(() => world.engine && !isAlive(hostPid() ?? 0), 6000, 'the timed-out isolate (the only one) to take its host along');
    const [after] = (await world.engine.ps()).filter((s) => s.id === t.id);
    assert.equal(after.state, 'exited');
    assert.match(String(after.extra?.reason), /timed out/);
    await world.engine.downAll();
    world.ids.clear();
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('an isolate owned by a window goes when that window\'s process dies; its neighbour stays', async () => {
    const [stay] = await world.engine.up(world.write('s.sandbox.yaml', specOf('s')));
    world.ids.add(stay.id);
    const script = `const { createEngine } = require('./engine/api');
createEngine({ owner: 'window:test', env: process.env }).up(process.argv[1]).then((l) => { console.log(JSON.stringify(l[0])); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script, world.write('o.sandbox.yaml', specOf('o'))], { cwd: ROOT, env: world.env, stdio: ['ignore', 'pipe', 'inherit'] });
    const owned = await new Promise<SandboxInfo>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(JSON.parse(out) as SandboxInfo);
      });
      child.on('exit', (code) => reject(new Error(`the owner exited (${code}) before launching`)));
    });
    world.ids.add(owned.id);
    assert.equal(owned.extra?.start, 'warm');
    assert.equal((await get(owned, '/')).name, 'o');
    child.kill('SIGKILL');
    await waitFor(() => {
      const st = JSON.parse(readFileSync(path.join(world.root, 'state', 'isolation-spectrum', 'sandboxes', owned.id, 'status.json'), 'utf8')) as { state: string; reason?: string };
      return st.state === 'exited' && /owner process \d+ went away/.test(st.reason ?? '');
    }, 5000, 'the owned isolate to be torn down');
    await assert.rejects(fetch(owned.url!));
    assert.equal((await get(stay, '/')).name, 's');
    await world.engine.downAll();
    world.ids.clear();
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('workerd dying takes the host monitor along; its isolates show failed with the reason', async () => {
    const [a] = await world.engine.up(world.write('a.sandbox.yaml', specOf('a')));
    world.ids.add(a.id);
    const pid = hostPid()!;
    process.kill(a.pid!, 'SIGKILL');
    await waitFor(() => !isAlive(pid), 5000, 'the host monitor to leave after its workerd died');
    const [after] = (await world.engine.ps()).filter((s) => s.id === a.id);
    assert.equal(after.state, 'failed');
    assert.match(String(after.extra?.reason), /workerd exited/);
    await world.engine.downAll();
    world.ids.clear();
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('a killed host monitor: its isolates show failed, ps cleans up workerd, the next launch gets a new host', async () => {
    const [a] = await world.engine.up(world.write('a.sandbox.yaml', specOf('a')));
    const [b] = await world.engine.up(world.write('b.sandbox.yaml', specOf('b')));
    world.ids.add(a.id).add(b.id);
    const pid = hostPid()!;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid), 10_000, 'the host monitor to die');
    const ps = await world.engine.ps();
    for (const id of [a.id, b.id]) assert.equal(ps.find((s) => s.id === id)?.state, 'failed');
    await waitFor(() => !isAlive(a.pid!), 15_000, 'ps to stop the orphaned workerd');

    const [c] = await world.engine.up(world.write('c.sandbox.yaml', specOf('c')));
    world.ids.add(c.id);
    assert.notEqual(hostPid(), pid);
    assert.equal((await get(c, '/')).name, 'c');
    await world.engine.downAll();
    world.ids.clear();
    await waitFor(() => hostPid() === undefined && world.leftovers().processes.length === 0, 10_000, 'the new host to leave');
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });
});
