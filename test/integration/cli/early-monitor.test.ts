// `spectrum run`/`up` start their monitor before anything else (engine/cli/early-monitor.ts).
// A command that fails before launching must not leave that monitor behind, not even briefly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';

let world: SandboxWorld;

describe('early monitor', () => {
  before(() => {
    world = sandboxWorld();
    // network: host needs --unsafe: the launch is refused after the monitor was started.
    world.write('host-net.sandbox.yaml', 'name: hostnet\nisolation: container\nimage: busybox\nnetwork: host\ncommand: [/bin/true]\n');
    world.write('broken.sandbox.yaml', 'name: broken\nisolation: container\nimage: busybox\ncommand: 7\n');
    world.write('c.sandbox.yaml', 'name: c\nisolation: container\nimage: busybox\ncommand: [/bin/echo, early-hi]\n');
  });
  after(async () => world.close());

  for (const [what, file] of [['a refused launch', 'host-net.sandbox.yaml'], ['a spec with errors', 'broken.sandbox.yaml']] as const) {
    test(`${what} exits 125 and leaves no process behind`, () => {
      for (const verb of ['run', 'up']) {
        const r = world.cli([verb, file]);
        assert.equal(r.status, 125, `${verb}: ${r.stdout}${r.stderr}`);
        assert.deepEqual(world.leftovers().processes, [], `${verb} left processes`);
      }
    });
  }

  test('a launch that succeeds runs through it and leaves nothing either', () => {
    const r = world.cli(['run', 'c.sandbox.yaml']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^early-hi$/m);
    assert.deepEqual(world.leftovers().processes, []);
  });
});
