// pause/resume on the real runc (freezer cgroup) and runsc: a counting process stops counting
// while paused, ps and inspect say paused, and after resume it goes on from where it stopped
// (same process, memory kept). Levels without a pause refuse with the reason.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sandboxWorld, emptyLeftovers, type SandboxWorld } from '../engine/sandbox-env';

let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
  world.write('w.worker.js', 'export default { fetch() { return new Response("hi"); } };\n');
});

after(async () => {
  await world.close();
});

const counter = (name: string, isolation: string) =>
  `name: ${name}\nisolation: ${isolation}\nimage: busybox\ncommand: [/bin/sh, -c, "i=0; while true; do i=$((i+1)); echo n=$i; sleep 0.1; done"]\n`;

const lastCount = (log: string): number => Number([...log.matchAll(/n=(\d+)/g)].pop()?.[1] ?? 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitCount(id: string, atLeast: number): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const n = lastCount(await world.engine.logs(id));
    if (n >= atLeast) return n;
    if (Date.now() > deadline) assert.fail(`${id} counted only to ${n}`);
    await sleep(50);
  }
}

for (const isolation of ['container', 'gvisor']) {
  describe(`pause/resume: ${isolation}`, () => {
    test('a paused sandbox stops counting, shows paused, and resumes where it stopped', async () => {
      const [info] = await world.engine.up(world.write(`${isolation}.sandbox.yaml`, counter(`c-${isolation}`, isolation)));
      world.ids.add(info.id);
      await waitCount(info.id, 3);
      const paused = await world.engine.pause(info.id);
      assert.equal(paused.state, 'paused');
      const at = lastCount(await world.engine.logs(info.id));
      await sleep(1000);
      assert.equal(lastCount(await world.engine.logs(info.id)), at, 'it kept counting while paused');
      assert.equal((await world.engine.ps()).find((s) => s.id === info.id)?.state, 'paused');
      assert.equal((await world.engine.inspect(info.id)).state, 'paused');
      await assert.rejects(world.engine.exec(info.id, ['true']), /is paused/);
      await assert.rejects(world.engine.pause(info.id), /already paused/);

      const r = world.cli(['resume', info.id]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`${info.id}\\s+running`));
      await waitCount(info.id, at + 3);
      // The same process went on: the count continued, it did not start again at 1.
      const log = await world.engine.logs(info.id);
      assert.equal((log.match(/n=1\n/g) ?? []).length, 1, 'the counter restarted');
      assert.ok(log.includes(`n=${at}\nn=${at + 1}\n`), 'the count should go on from where it stopped');
      await assert.rejects(world.engine.resume(info.id), /not paused/);

      // A paused sandbox tears down cleanly.
      assert.equal(world.cli(['pause', info.id]).status, 0);
      await world.engine.down(info.id);
      world.ids.delete(info.id);
      assert.deepEqual(world.leftovers(), emptyLeftovers());
    });
  });
}

describe('pause refusals', () => {
  test('an isolate has nothing to freeze: refused with the reason', async () => {
    const [info] = await world.engine.up(world.write('i.sandbox.yaml', 'name: i\nisolation: isolate\nworker: ./w.worker.js\n'));
    world.ids.add(info.id);
    await assert.rejects(world.engine.pause(info.id), /isolate sandboxes can't be paused: an isolate runs only while it answers a request/);
    const r = world.cli(['pause', info.id]);
    assert.equal(r.status, 125);
    assert.match(r.stderr, /can't be paused/);
    await world.engine.downAll();
    world.ids.clear();
  });
});
