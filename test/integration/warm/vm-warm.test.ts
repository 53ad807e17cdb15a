// Warm microVM starts on the real QEMU: the first `start: warm` launch saves a base for its
// machine, later ones restore it and hand their command over through the guest agent. The
// command gets all its words and env (a 20 KB value included: nothing lost in the hand-over),
// its output and exit code come back as from a cold boot, two warm starts draw different random
// bytes and keep the host time; what can't start warm says why; nothing is left afterwards.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sandboxWorld, emptyLeftovers, type SandboxWorld } from '../engine/sandbox-env';

let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
});

after(async () => {
  await world.close();
});

const BIG = 'x'.repeat(20_000);
const spec = (name: string, start: string, extra = '') =>
  world.write(
    `${name}.sandbox.yaml`,
    `name: ${name}\nisolation: microvm\nimage: busybox\nstart: ${start}\nresources: { memory: 128Mi }\nenv: { BIG: "${BIG}", WORDS: "a 'b' \\"c\\"" }\n${extra}command: [/bin/sh, -c, 'echo "big=\${#BIG} words=$WORDS arg=$0"; head -c 16 /dev/urandom | od -An -tx1 | tr -d " \\n"; echo; date +%s; exit 7', "it's"]\n`,
  );

async function runOnce(name: string, start: string) {
  const [s] = await world.engine.specs(spec(name, start));
  const h0 = Date.now() / 1000;
  const t0 = performance.now();
  const r = await world.engine.run(s, { timeoutMs: 180_000 });
  return { ...r, ms: performance.now() - t0, h0, h1: Date.now() / 1000 };
}

describe('warm microVM starts', { timeout: 600_000 }, () => {
  test('start: warm saves a base once, then restores it; output, exit code, RNG and clock as cold', async (t) => {
    const cold = await runOnce('c', 'cold');
    assert.equal(cold.exitCode, 7, cold.output);
    const first = await runOnce('w1', 'warm');
    const second = await runOnce('w2', 'warm');
    const third = await runOnce('w3', 'auto');
    const bases = path.join(world.root, 'cache', 'isolation-spectrum', 'vm', 'artefacts', 'warm');
    assert.equal(readdirSync(bases).filter((n) => !n.includes('.')).length, 1, 'one base for one machine');
    const seen = new Set<string>();
    for (const r of [cold, first, second, third]) {
      assert.equal(r.exitCode, 7, r.output);
      const [line, rand, date] = r.output.trim().split('\n');
      assert.equal(line, `big=20000 words=a 'b' "c" arg=it's`);
      assert.match(rand, /^[0-9a-f]{32}$/);
      seen.add(rand);
      const g = Number(date);
      assert.ok(g + 1 >= r.h0 - 2 && g <= r.h1 + 2, `guest clock ${g} outside [${r.h0}, ${r.h1}] +-2 s`);
    }
    assert.equal(seen.size, 4, 'every start draws its own random bytes');
    t.diagnostic(`launch to exit: cold ${cold.ms.toFixed(0)} ms, first warm (boot + save + restore) ${first.ms.toFixed(0)} ms, warm ${second.ms.toFixed(0)} ms, auto with a base ${third.ms.toFixed(0)} ms; load ${os.loadavg()[0].toFixed(2)}`);
  });

  test('inspect says it started warm; what can not start warm says why', async () => {
    const [info] = await world.engine.up(world.write('u.sandbox.yaml', 'name: u\nisolation: microvm\nimage: busybox\nstart: warm\nresources: { memory: 128Mi }\nenv: { BIG: "1", WORDS: "" }\ncommand: [/bin/sh, -c, "echo up; exec sleep 600"]\n'));
    world.ids.add(info.id);
    const inspected = await world.engine.inspect(info.id);
    assert.equal(inspected.extra?.start, 'warm');
    assert.equal((inspected.extra?.guestRefresh as { reseeded?: boolean }).reseeded, true);
    const r = await world.engine.exec(info.id, ['/bin/sh', '-c', 'echo in-warm']);
    assert.equal(r.stdout, 'in-warm\n');
    await world.engine.down(info.id);
    world.ids.delete(info.id);

    await assert.rejects(world.engine.up(world.write('n.sandbox.yaml', 'name: n\nisolation: microvm\nimage: busybox\nstart: warm\nnetwork: outbound\ncommand: [/bin/true]\n')), /start: warm is not possible: network: outbound is set up at boot/);
    const [cold] = await world.engine.specs(world.write('m.sandbox.yaml', 'name: m\nisolation: microvm\nimage: busybox\nmounts: [{ source: ., target: /data }]\nresources: { memory: 128Mi }\ncommand: [/bin/true]\n'));
    const ran = await world.engine.run(cold, { timeoutMs: 180_000 });
    assert.equal(ran.exitCode, 0);
  });

  test('nothing is left', async () => {
    await world.engine.downAll();
    world.ids.clear();
    assert.deepEqual(world.leftovers(), emptyLeftovers());
    const bases = path.join(world.root, 'cache', 'isolation-spectrum', 'vm', 'artefacts', 'warm');
    assert.ok(existsSync(bases));
    assert.deepEqual(readdirSync(bases).filter((n) => n.includes('.new-') || n.endsWith('.lock')), [], 'no half-saved base or lock left');
  });
});
