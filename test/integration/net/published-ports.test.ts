// network: outbound + ports: on containers and gVisor, for real: a server inside answers on a
// published port of the host's 127.0.0.1; without a network it is unreachable; the sandbox
// reaches a test host (a namespace the test creates) through pasta but the host's loopback only when asked; and
// tear-down (down, or a monitor killed with SIGKILL) leaves no pasta, namespace or port.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sandboxWorld, emptyLeftovers, type SandboxWorld } from '../engine/sandbox-env';
import { isAlive } from '../../../engine/host/procfs';
import { defaultSpec } from '../../../engine/spec/defaults';
import { parsePort } from '../../../engine/spec/ports';
import type { Isolation, PortSpec, SandboxSpec } from '../../../engine/spec/types';
import { freePort, listening, namespaceMounts, ncServer, pastaPid, replyServer, waitAnswer } from './net-env';
import { linkExists, namespaces, startTestHost } from './test-host';
import { waitFor } from '../../helpers/wait';

let world: SandboxWorld;
before(() => {
  world = sandboxWorld();
});
after(async () => {
  await world.close();
});

// The machine these run on is shared and often loaded: a cold gVisor start can take seconds.
const ANSWER_MS = 30_000;

function netSpec(isolation: Isolation, over: Partial<SandboxSpec>): SandboxSpec {
  return defaultSpec(`net-${isolation}`, isolation, `${world.root}/net.sandbox.yaml`, { image: 'busybox', ...over });
}

for (const isolation of ['container', 'gvisor'] as const) {
  describe(`${isolation}: published ports`, () => {
    test('a server inside answers on 127.0.0.1; after down nothing is left', async () => {
      const hostPort = await freePort();
      const ports = [parsePort(`${hostPort}:8000`) as PortSpec];
      const info = await world.engine.upSpec(netSpec(isolation, { network: 'outbound', ports, command: ncServer(8000, `hello-from-${isolation}`) }));
      world.ids.add(info.id);
      assert.deepEqual(info.extra?.ports, [`127.0.0.1:${hostPort}->8000/tcp`]);
      assert.deepEqual(info.extra?.publishedPorts, [{ hostAddress: '127.0.0.1', hostPort, sandboxPort: 8000, protocol: 'tcp', url: `http://127.0.0.1:${hostPort}/` }]);
      assert.match(info.network, /pasta/);
      if (isolation === 'gvisor') assert.match(info.network, /weaker boundary/);
      const answer = await waitAnswer('127.0.0.1', hostPort, `hello-from-${isolation}`, ANSWER_MS);
      assert.match(answer, new RegExp(`hello-from-${isolation}`));
      const pid = pastaPid(world.root, info.id);
      assert.ok(pid && isAlive(pid), 'pasta is not running');
      assert.equal(namespaceMounts(world.root).length, 1);

      await world.engine.down(info.id);
      assert.ok(await waitFor(() => !isAlive(pid), 5000), `pasta ${pid} outlived down`);
      assert.deepEqual(namespaceMounts(world.root), []);
      assert.equal(await listening('127.0.0.1', hostPort), false, 'the published port still listens after down');
      assert.deepEqual(world.leftovers(), emptyLeftovers());
    });

    test('the same server with network: none is unreachable', async () => {
      const hostPort = await freePort();
      const info = await world.engine.upSpec(netSpec(isolation, { network: 'none', command: ncServer(8000, 'should-not-be-seen') }));
      world.ids.add(info.id);
      // Give it the time it needed above to come up, then look from the host.
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(pastaPid(world.root, info.id), undefined);
      assert.equal(await listening('127.0.0.1', hostPort), false);
      const inside = await world.engine.exec(info.id, ['/bin/sh', '-c', 'echo | nc -w 2 127.0.0.1 8000']);
      assert.match(inside.stdout, /should-not-be-seen/, 'the server did not run, so unreachability proves nothing');
      await world.engine.down(info.id);
    });
  });

  describe(`${isolation}: outbound`, () => {
    test('reaches a test host outside; the host loopback only with hostLoopback', async () => {
      const outside = await startTestHost('outside-ok');
      const local = await replyServer('127.0.0.1', 'loopback-reached');
      try {
        const probe = (loopback: boolean, network: SandboxSpec['network']) =>
          world.engine.run(
            netSpec(isolation, {
              network,
              ...(loopback ? { hostLoopback: true } : {}),
              command: ['/bin/sh', '-c', `echo | timeout 10 nc ${outside.address} ${outside.port}; echo | timeout 10 nc 10.0.2.2 ${local.port}; echo done`],
              timeoutMs: 60_000,
            }),
          );
        const plain = await probe(false, 'outbound');
        assert.match(plain.output, /outside-ok/, plain.output);
        assert.doesNotMatch(plain.output, /loopback-reached/);
        assert.equal(local.connections, 0, 'the host loopback was reached without hostLoopback');

        const open = await probe(true, 'outbound');
        assert.match(open.output, /outside-ok/, open.output);
        assert.match(open.output, /loopback-reached/, open.output);
        assert.ok(local.connections >= 1);

        const before = outside.connections;
        const none = await probe(false, 'none');
        assert.match(none.output, /done/);
        assert.doesNotMatch(none.output, /outside-ok/);
        assert.equal(outside.connections, before);
      } finally {
        await outside.close();
        await local.close();
      }
      assert.ok(!namespaces().includes(outside.namespace) && !linkExists(outside.hostLink), 'the test host outlived close()');
      assert.deepEqual(world.leftovers(), emptyLeftovers());
    });
  });
}

describe('crash and refusal', () => {
  test('a monitor killed with SIGKILL: ps cleans up pasta, the namespace and the port', async () => {
    const hostPort = await freePort();
    const info = await world.engine.upSpec(netSpec('container', { network: 'outbound', ports: [parsePort(`${hostPort}:8000`) as PortSpec], command: ncServer(8000, 'crash-test') }), { owner: 'cli' });
    world.ids.add(info.id);
    assert.match(await waitAnswer('127.0.0.1', hostPort, 'crash-test', ANSWER_MS), /crash-test/);
    const pid = pastaPid(world.root, info.id)!;
    const { readFileSync } = await import('node:fs');
    const status = JSON.parse(readFileSync(`${world.root}/state/isolation-spectrum/sandboxes/${info.id}/status.json`, 'utf8')) as { monitorPid: number };
    process.kill(status.monitorPid, 'SIGKILL');
    assert.ok(await waitFor(() => !isAlive(status.monitorPid), 5000));
    const seen = (await world.engine.ps()).find((s) => s.id === info.id);
    assert.equal(seen?.state, 'failed');
    assert.ok(await waitFor(() => !isAlive(pid), 5000), 'pasta outlived the reconciliation');
    assert.deepEqual(namespaceMounts(world.root), []);
    assert.equal(await listening('127.0.0.1', hostPort), false);
    await world.engine.down(info.id);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('a host port already taken: the launch fails saying so, and nothing is left', async () => {
    const taken = await replyServer('127.0.0.1', 'someone-else');
    try {
      // The monitor's own reason (pasta could not bind), not just that the monitor went away.
      await assert.rejects(
        world.engine.upSpec(netSpec('container', { network: 'outbound', ports: [parsePort(`${taken.port}:8000`) as PortSpec], command: ncServer(8000, 'x') })),
        (err: Error) => {
          assert.match(err.message, /launch failed: .*pasta/s);
          assert.doesNotMatch(err.message, /monitor exited during launch/);
          return true;
        },
      );
      assert.equal(taken.connections, 0);
      assert.deepEqual(namespaceMounts(world.root), []);
      // No failed record either: the launch forgot the sandbox.
      assert.deepEqual((await world.engine.ps()).filter((s) => s.name === 'net-container'), []);
      assert.deepEqual(world.leftovers(), emptyLeftovers());
    } finally {
      await taken.close();
    }
  });
});
