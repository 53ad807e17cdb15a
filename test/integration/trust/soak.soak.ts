// The long soak (`npm run soak`, not part of `npm test`): launch/tear-down cycles across levels
// through one long-lived engine (as the extension host holds it), VMs less often; after each
// cycle nothing of it is left, and the engine's RSS stays flat. Prints the RSS curve.
// SPECTRUM_SOAK_CYCLES overrides the count (default 200).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';
import { countLeftovers, NO_LEFTOVERS, settledLeftovers } from '../../helpers/leftovers';
import { newestCachedKernel } from '../../../engine/vm/guest-kernel';

const CYCLES = Number(process.env.SPECTRUM_SOAK_CYCLES ?? 200);
const VM_EVERY = 25;
let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
});

after(async () => {
  await world.close();
});

const SPECS: Record<string, string> = {
  container: 'isolation: container\nimage: busybox\ncommand: [/bin/sh, -c, "echo soak; sleep 300"]\n',
  gvisor: 'isolation: gvisor\nimage: busybox\ncommand: [/bin/sh, -c, "echo soak; sleep 300"]\n',
  isolate: 'isolation: isolate\nworker: ./w.js\n',
  microvm: 'isolation: microvm\nimage: busybox\ncommand: [/bin/sh, -c, "echo soak; sleep 300"]\nresources: { memory: 192Mi }\n',
};

const mib = (n: number) => Math.round(n / 1048576);

describe('soak', () => {
  test(`${CYCLES} launch/tear-down cycles: zero leaks, flat RSS`, { timeout: 6 * 3_600_000 }, async () => {
    world.write('w.js', 'export default { fetch() { return new Response("ok"); } };');
    const levels = ['container', 'gvisor', 'isolate'];
    const haveKernel = Boolean(newestCachedKernel());
    const files: Record<string, string> = {};
    for (const [level, body] of Object.entries(SPECS)) files[level] = world.write(`soak-${level}.sandbox.yaml`, `name: soak-${level}\n${body}`);
    const rss: number[] = [];
    let leaks = 0;
    let vms = 0;
    const started = Date.now();
    for (let i = 0; i < CYCLES; i++) {
      const level = haveKernel && i % VM_EVERY === VM_EVERY - 1 ? 'microvm' : levels[i % levels.length];
      if (level === 'microvm') vms++;
      const [info] = await world.engine.up(files[level]);
      world.ids.add(info.id);
      assert.equal(info.state, 'running', `${info.id}: ${JSON.stringify(info.extra)}`);
      await world.engine.down(info.id);
      if (JSON.stringify(countLeftovers(world)) !== JSON.stringify(NO_LEFTOVERS)) {
        // A monitor may still be finishing its own tear-down: give it a moment before counting.
        const left = await settledLeftovers(world, [], 2000);
        if (JSON.stringify(left) !== JSON.stringify(NO_LEFTOVERS)) {
          leaks++;
          process.stdout.write(`# leak after cycle ${i} (${info.id}): ${JSON.stringify(left)}\n`);
        }
      }
      if (i % 10 === 9 || i === CYCLES - 1) {
        global.gc?.();
        rss.push(process.memoryUsage().rss);
        process.stdout.write(`# cycle ${i + 1}: engine RSS ${mib(rss[rss.length - 1])} MiB, load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}\n`);
      }
    }
    const temp = readdirSync('/tmp').filter((n) => [...world.ids].some((id) => n.includes(id)));
    const sandboxes = path.join(world.root, 'state', 'isolation-spectrum', 'sandboxes');
    const state = existsSync(sandboxes) ? readdirSync(sandboxes).filter((n) => n !== '.changed') : [];
    process.stdout.write(`# soak: ${CYCLES} cycles (${vms} microvm) in ${Math.round((Date.now() - started) / 1000)} s, leaks ${leaks}, temp ${temp.length}, state ${state.length}; RSS MiB ${rss.map(mib).join(' ')}\n`);
    assert.equal(leaks, 0);
    assert.deepEqual(temp, []);
    assert.deepEqual(state, []);
    // Flat: the second half's peak within 25 MiB of the first half's (allocator noise, JIT).
    const half = Math.max(1, Math.floor(rss.length / 2));
    const first = Math.max(...rss.slice(0, half));
    const second = Math.max(...rss.slice(half));
    assert.ok(second - first < 25 * 1048576, `engine RSS grew from ${mib(first)} to ${mib(second)} MiB`);
  });
});
