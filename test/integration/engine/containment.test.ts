// container (runc) and gVisor (runsc) on the real runtimes: what the sandbox can and cannot do.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { sandboxWorld, emptyLeftovers, type SandboxWorld } from './sandbox-env';
import { hostListener, type Probe } from './net-probe';

let world: SandboxWorld;
let probe: Probe;

before(async () => {
  world = sandboxWorld();
  probe = await hostListener();
});

after(async () => {
  await probe.close();
  const root = world.root;
  await world.close();
  assert.equal(existsSync(root), false, `${root} is still there after close`);
});

function script(port: number): string {
  return [
    'echo "UNAME=$(uname -a)"',
    'echo "KREL=$(uname -r)"',
    'echo "PROCS=$(ls -d /proc/[0-9]* | wc -l)"',
    'echo "COMMS=$(cat /proc/[0-9]*/comm 2>/dev/null | sort -u | tr "\\n" " ")"',
    'grep CapEff /proc/self/status',
    '(touch /probe-file 2>/dev/null && echo WRITE=yes) || echo WRITE=no',
    '(echo x > /tmp/scratch && echo TMP=yes) || echo TMP=no',
    `(wget -q -T 2 -O- http://127.0.0.1:${port}/ >/dev/null 2>&1 && echo NET=yes) || echo NET=no`,
    'echo "IFACES=$(ls /sys/class/net 2>/dev/null | tr "\\n" " ")"',
    // The same question asked of procfs as well as sysfs, so one runtime's gap can't hide a device.
    'echo "NETDEV=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | tr "\\n" " ")"',
  ].join('; ');
}

function field(out: string, key: string): string {
  return new RegExp(`^${key}=(.*)$`, 'm').exec(out)?.[1]?.trim() ?? `<no ${key}>`;
}

for (const isolation of ['container', 'gvisor'] as const) {
  describe(`${isolation} sandbox`, () => {
    let out = '';
    let exitCode: number | null = null;

    before(async () => {
      const specs = await world.engine.specs(
        world.write(`${isolation}.sandbox.yaml`, `name: probe-${isolation}\nisolation: ${isolation}\nimage: busybox\ncommand: [/bin/sh, -c, ${JSON.stringify(script(probe.port))}]\n`),
      );
      const r = await world.engine.run(specs[0]);
      out = r.output;
      exitCode = r.exitCode;
    });

    test('runs uname -a and exits 0', () => {
      assert.equal(exitCode, 0, out);
      assert.match(field(out, 'UNAME'), /^Linux probe-/);
    });

    test(isolation === 'gvisor' ? 'reports gVisor\'s own kernel version, not the host\'s' : 'shares the host kernel', () => {
      if (isolation === 'gvisor') assert.notEqual(field(out, 'KREL'), os.release());
      else assert.equal(field(out, 'KREL'), os.release());
    });

    test('cannot see host processes', () => {
      assert.ok(Number(field(out, 'PROCS')) <= 4, out);
      assert.doesNotMatch(field(out, 'COMMS'), /\b(node|systemd|init|sshd|runc|runsc)\b/);
    });

    test('holds no capabilities', () => {
      assert.match(out, /CapEff:\s+0000000000000000/);
    });

    test('cannot write its root, but has a scratch /tmp', () => {
      assert.equal(field(out, 'WRITE'), 'no');
      assert.equal(field(out, 'TMP'), 'yes');
    });

    test('cannot reach a listener on the host\'s 127.0.0.1', () => {
      assert.equal(field(out, 'NET'), 'no');
      assert.equal(probe.connections, 0);
    });

    test('has loopback only', () => {
      // Exactly ['lo']: an empty list would mean the probe read nothing, not that there is no network.
      assert.deepEqual(field(out, 'IFACES').split(' ').filter(Boolean), ['lo'], out);
      assert.deepEqual(field(out, 'NETDEV').split(' ').filter(Boolean), ['lo'], out);
    });

    test('leaves nothing behind after run', () => {
      assert.deepEqual(world.leftovers(), emptyLeftovers());
    });
  });
}
