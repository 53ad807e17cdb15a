// The Firecracker driver against a real firecracker binary. Firecracker is not packaged for
// Debian or npm and needs working KVM, so on this project's machines the test skips, saying so;
// the driver's requests and config are tested against Firecracker's documented examples instead
// (test/unit/vm/firecracker.test.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';
import { collectHost } from '../../../engine/host/collect';
import { FIRECRACKER_UNTESTED, firecrackerSupport } from '../../../engine/drivers/firecracker';
import { newestCachedKernel } from '../../../engine/vm/guest-kernel';

describe('Firecracker driver on a real binary', async () => {
  const support = firecrackerSupport(await collectHost({ quick: true }));
  const skip = support.ok ? false : `${support.reason ?? FIRECRACKER_UNTESTED}`;
  let world: SandboxWorld;
  before(() => {
    if (!skip) world = sandboxWorld();
  });
  after(async () => {
    await world?.close();
  });

  test('boots our vmlinux and initramfs and returns the exit code', { skip, timeout: 120_000 }, async () => {
    const kernel = newestCachedKernel();
    assert.ok(kernel, 'no guest kernel cached');
    const file = world.write('fc.sandbox.yaml', 'name: fc\nisolation: microvm\nmicrovm: { vmm: firecracker }\nimage: busybox\ncommand: [/bin/sh, -c, "uname -r; exit 5"]\n');
    const [spec] = await world.engine.specs(file);
    const r = await world.engine.run(spec, { timeoutMs: 60_000 });
    assert.equal(r.exitCode, 5, r.output);
    assert.equal(r.output.trim(), kernel!.release);
    assert.notEqual(r.output.trim(), os.release());
  });
});
