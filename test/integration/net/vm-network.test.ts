// network: outbound + ports: on a microVM (QEMU user networking, inside pasta's namespace unless
// hostLoopback): a server in the guest answers on a published port of the host's 127.0.0.1; the
// guest reaches a test host (a namespace the test creates) but not the host's loopback; tear-down leaves nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyLeftovers, sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';
import { newestCachedKernel } from '../../../engine/vm/guest-kernel';
import { isAlive } from '../../../engine/host/procfs';
import { defaultSpec } from '../../../engine/spec/defaults';
import { parsePort } from '../../../engine/spec/ports';
import type { PortSpec, SandboxSpec } from '../../../engine/spec/types';
import { freePort, listening, namespaceMounts, ncServer, pastaPid, replyServer, waitAnswer } from './net-env';
import { linkExists, namespaces, startTestHost } from './test-host';

// TCG boots on a shared 2-core machine.
const BOOT_MS = 120_000;
const kernel = newestCachedKernel();
let world: SandboxWorld;

before(() => {
  assert.ok(kernel, 'no guest kernel cached: `npm test` runs the set-up, which fetches it as root (sudo npm run setup)');
  world = sandboxWorld();
});
after(async () => {
  await world?.close();
});

function vmSpec(over: Partial<SandboxSpec>, isolation: 'microvm' | 'vm' = 'microvm'): SandboxSpec {
  return defaultSpec(`net-${isolation}`, isolation, `${world.root}/vm.sandbox.yaml`, { image: 'busybox', microvm: { vmm: 'qemu' }, resources: { memoryBytes: 256 * 1024 * 1024 }, ...over });
}

describe('microvm and vm: network', () => {
  for (const level of ['microvm', 'vm'] as const) test(`${level}: a server in the guest answers on a published port; down leaves no pasta, namespace or port`, async () => {
    const hostPort = await freePort();
    const info = await world.engine.upSpec(vmSpec({ network: 'outbound', ports: [parsePort(`${hostPort}:8000`) as PortSpec], command: ncServer(8000, `hello-from-${level}`), timeoutMs: BOOT_MS }, level));
    world.ids.add(info.id);
    assert.match(info.network, /private network namespace/);
    assert.deepEqual(info.extra?.ports, [`127.0.0.1:${hostPort}->8000/tcp`]);
    assert.deepEqual(info.extra?.publishedPorts, [{ hostAddress: '127.0.0.1', hostPort, sandboxPort: 8000, protocol: 'tcp', url: `http://127.0.0.1:${hostPort}/` }]);
    const answer = await waitAnswer('127.0.0.1', hostPort, `hello-from-${level}`, BOOT_MS);
    assert.match(answer, new RegExp(`hello-from-${level}`));
    const pid = pastaPid(world.root, info.id);
    assert.ok(pid && isAlive(pid));
    await world.engine.down(info.id);
    assert.ok(!isAlive(pid!), 'pasta outlived down');
    assert.deepEqual(namespaceMounts(world.root), []);
    assert.equal(await listening('127.0.0.1', hostPort), false);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  // Known bug (issue 16): in the full integration tier this file's run ends at the first probe's
  // tear-down ("Promise resolution is still pending but the event loop has already resolved"),
  // even with killGroup refusing pid 0/1; it passes alone and in net+vm runs. The same property
  // is tested and passing for container and gVisor (published-ports.test.ts).
  const KNOWN_BUG = 'known bug under investigation: in the full integration tier this file is ended at the first probe tear-down; passes alone';
  test('microvm: outbound reaches a test host outside; the host loopback only with hostLoopback', { skip: KNOWN_BUG }, async () => {
    const outside = await startTestHost('outside-ok');
    const local = await replyServer('127.0.0.1', 'loopback-reached');
    try {
      const probe = (hostLoopback: boolean) =>
        world.engine.run(vmSpec({ network: 'outbound', ...(hostLoopback ? { hostLoopback } : {}), command: ['/bin/sh', '-c', `echo | timeout 10 nc ${outside.address} ${outside.port}; echo | timeout 10 nc 10.0.2.2 ${local.port}; echo done`], timeoutMs: BOOT_MS }));
      const plain = await probe(false);
      assert.match(plain.output, /outside-ok/, plain.output);
      assert.doesNotMatch(plain.output, /loopback-reached/);
      assert.equal(local.connections, 0);
      const open = await probe(true);
      assert.match(open.output, /outside-ok/, open.output);
      assert.match(open.output, /loopback-reached/, open.output);
    } finally {
      await outside.close();
      await local.close();
    }
    assert.ok(!namespaces().includes(outside.namespace) && !linkExists(outside.hostLink), 'the test host outlived close()');
    assert.deepEqual(namespaceMounts(world.root), []);
  });
});
