// isolate level on the real workerd: it answers HTTP, sees its env bindings, and cannot reach a
// listener on the host's 127.0.0.1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sandboxWorld, emptyLeftovers, type SandboxWorld } from './sandbox-env';
import { hostListener, type Probe } from './net-probe';

let world: SandboxWorld;
let probe: Probe;

before(async () => {
  world = sandboxWorld();
  probe = await hostListener();
  world.write(
    'edge.worker.js',
    `export default {
  async fetch(req, env) {
    const url = new URL(req.url);
    if (url.pathname === '/reach') {
      try {
        const r = await fetch('http://127.0.0.1:' + url.searchParams.get('port') + '/');
        return new Response('REACHED ' + r.status + ' ' + (await r.text()));
      } catch (err) {
        return new Response('BLOCKED ' + err.message);
      }
    }
    return new Response('hello ' + env.GREETING + ' from ' + url.pathname);
  },
};
`,
  );
});

after(async () => {
  await probe.close();
  await world.close();
});

describe('isolate (workerd)', () => {
  const specText = 'name: edge\nisolation: isolate\nworker: ./edge.worker.js\ncompatibilityDate: 2025-01-01\nenv: { GREETING: hi }\n';

  test('up: answers HTTP on its URL, inspect shows it, down removes it', async () => {
    const [info] = await world.engine.up(world.write('edge.sandbox.yaml', specText));
    world.ids.add(info.id);
    assert.equal(info.state, 'running');
    assert.match(info.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(new URL('/x', info.url));
    assert.equal(await res.text(), 'hello hi from /x');
    const inspected = await world.engine.inspect('edge');
    assert.equal(inspected.runtime, 'workerd');
    assert.ok((inspected.memoryBytes ?? 0) > 1_000_000, `memory ${inspected.memoryBytes}`);
    assert.deepEqual(await world.engine.down(info.id), [info.id]);
    await assert.rejects(fetch(info.url!));
  });

  test('run: fetches once and returns the body', async () => {
    const [spec] = await world.engine.specs(world.write('edge.sandbox.yaml', specText));
    const r = await world.engine.run(spec, { path: '/run' });
    assert.equal(r.exitCode, 0);
    assert.equal(r.output, 'hello hi from /run');
  });

  test('cannot reach a listener on the host\'s 127.0.0.1', async () => {
    const [spec] = await world.engine.specs(world.write('edge.sandbox.yaml', specText));
    const r = await world.engine.run(spec, { path: `/reach?port=${probe.port}` });
    assert.match(r.output, /^BLOCKED/);
    assert.equal(probe.connections, 0);
  });

  test('state changes from another process arrive as events (no polling)', async () => {
    let events = 0;
    let wake: (() => void) | undefined;
    const sub = world.engine.onDidChange(() => {
      events++;
      wake?.();
    });
    // Resolves on the event itself; the long limit only turns a lost event into a failure
    // rather than a hang, it is no speed claim.
    const eventAfter = (count: number, what: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no change event after ${what} within 60 s`)), 60_000);
        wake = () => {
          if (events > count) {
            clearTimeout(timer);
            resolve();
          }
        };
        wake();
      });
    try {
      const r = world.cli(['up', 'edge.sandbox.yaml', '--json']);
      assert.equal(r.status, 0, r.stderr);
      await eventAfter(0, 'a launch by the CLI');
      const before = events;
      assert.equal(world.cli(['down', '--all']).status, 0);
      await eventAfter(before, 'down');
      assert.ok(events > before);
    } finally {
      wake = undefined;
      sub.dispose();
    }
  });

  test('spec timeout stops the sandbox', async () => {
    const [spec] = await world.engine.specs(world.write('edge.sandbox.yaml', specText));
    const info = await world.engine.upSpec({ ...spec, timeoutMs: 300 });
    world.ids.add(info.id);
    // Polls the state as a condition; the limit only bounds a hang (the timeout itself is 300 ms).
    const deadline = Date.now() + 60_000;
    let state = info.state;
    while (state === 'running' && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 50));
      state = (await world.engine.inspect(info.id)).state;
    }
    assert.equal(state, 'exited');
    assert.match(String((await world.engine.inspect(info.id)).extra?.reason), /timed out/);
    await world.engine.down(info.id);
  });

  test('leaves nothing behind', () => {
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });
});
