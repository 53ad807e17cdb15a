// The compiled guest agent in a running microVM and VM under the real QEMU (TCG here: slow, so
// one VM per level serves every test): exec with argv, exit codes and stderr kept apart, a tty
// under a real pty through the CLI, the clock and seed requests, and cp both ways through the
// agent (at microvm also 100 MB both ways and a hostile tar refused).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, readlinkSync, lstatSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, sandboxWorld, emptyLeftovers, type SandboxWorld } from '../engine/sandbox-env';
import { agentControl } from '../../../engine/vm/agent-client';
import { underPty } from '../../helpers/pty';
import { bigFileRoundTrip, refusesHostileTar } from '../cp/cases';

const BOOT_MS = 120_000;
let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
});

after(async () => {
  await world.close();
});

async function waitReady(id: string): Promise<void> {
  const deadline = Date.now() + BOOT_MS;
  while (!(await world.engine.logs(id)).includes('ready')) {
    if (Date.now() > deadline) assert.fail(`${id} never printed ready: ${await world.engine.logs(id)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const level of ['microvm', 'vm'] as const) {
  describe(`guest agent: ${level}`, { timeout: BOOT_MS * 8 }, () => {
    let id = '';
    before(async () => {
      const file = world.write(`${level}.sandbox.yaml`, `name: a-${level}\nisolation: ${level}\nimage: busybox\nresources: { memory: 384Mi }\ncommand: [/bin/sh, -c, "echo ready; exec sleep 3600"]\n`);
      const [info] = await world.engine.up(file);
      id = info.id;
      world.ids.add(id);
      await waitReady(id);
    });
    after(async () => {
      await world.engine.down(id);
      world.ids.delete(id);
    });

    test('exec: argv words as given, exit code, stdout and stderr apart, in the guest kernel', async () => {
      const r = await world.engine.exec(id, ['/bin/sh', '-c', 'echo "out:$1:$2"; uname -r; echo oops >&2; exit 3', 'sh', 'a b', "it's $HOME"]);
      assert.equal(r.exitCode, 3, r.stderr);
      assert.match(r.stdout, /^out:a b:it's \$HOME\n\d+\.\d+\.\S+\n$/);
      assert.equal(r.stderr, 'oops\n');
      const missing = await world.engine.exec(id, ['/no/such/program']);
      assert.equal(missing.exitCode, 127);
      assert.match(missing.stderr, /not found|No such file/);
    });

    test('inspect names the compiled agent', async () => {
      const info = await world.engine.inspect(id);
      assert.match(String(info.extra?.guestAgent), /^spectrum-agent \(compiled C, \d+ KiB\) on virtio-serial/);
    });

    test('exec -t through the CLI under a real pty: an interactive shell on a terminal, sized', () => {
      const r = underPty([process.execPath, path.join(ROOT, 'dist', 'cli.js'), 'exec', '-t', id, '--', '/bin/sh', '-i'], '[ -t 0 ] && echo "is-$((6*7))-tty"; stty size; exit 3\n', { env: { ...world.env, TERM: 'xterm' }, cwd: world.root, delayS: 4, size: '33x101' });
      assert.equal(r.status, 3, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /is-42-tty/);
      // The guest's terminal has the caller's size.
      assert.match(r.stdout, /\r\n33 101\r/);
      assert.doesNotMatch(r.stdout, /can't access tty/);
    });

    test('the clock (set, stepped) and seed requests (a restored snapshot): date follows, the pool takes the seed', async () => {
      const socket = String((await world.engine.inspect(id)).extra?.agentSocket);
      const when = Date.UTC(2031, 4, 6, 7, 8, 9);
      await agentControl(socket, { setTimeMs: when, seed: Buffer.alloc(64, 7) });
      let r = await world.engine.exec(id, ['date', '-u', '+%Y-%m-%d %H']);
      assert.equal(r.stdout, '2031-05-06 07\n', r.stderr);
      // A step is applied in the guest (no transport latency in it): one hour on.
      await agentControl(socket, { stepClockMs: 3_600_000 });
      r = await world.engine.exec(id, ['date', '-u', '+%Y-%m-%d %H']);
      assert.equal(r.stdout, '2031-05-06 08\n', r.stderr);
    });

    test('exec through the CLI keeps the exit code', () => {
      const r = world.cli(['exec', id, '--', '/bin/sh', '-c', 'echo hi; exit 5']);
      assert.equal(r.status, 5, r.stderr);
      assert.equal(r.stdout, 'hi\n');
    });

    test('cp both ways through the agent keeps modes and symlinks', async () => {
      const src = path.join(world.root, `${level}-tree`);
      mkdirSync(path.join(src, 'sub'), { recursive: true });
      writeFileSync(path.join(src, 'run.sh'), '#!/bin/sh\necho ran\n');
      chmodSync(path.join(src, 'run.sh'), 0o755);
      writeFileSync(path.join(src, 'sub', 'data'), Buffer.alloc(200_000, 7));
      symlinkSync('sub/data', path.join(src, 'link'));
      await world.engine.copyIn(id, src, '/tmp/tree');
      const inside = await world.engine.exec(id, ['/bin/sh', '-c', 'stat -c "%a" /tmp/tree/run.sh; readlink /tmp/tree/link; /tmp/tree/run.sh; wc -c < /tmp/tree/sub/data']);
      assert.equal(inside.stdout.replace(/ +/g, ''), '755\nsub/data\nran\n200000\n', inside.stderr);
      const back = path.join(world.root, `${level}-back`);
      mkdirSync(back);
      await world.engine.copyOut(id, '/tmp/tree', back);
      assert.equal(lstatSync(path.join(back, 'tree', 'run.sh')).mode & 0o777, 0o755);
      assert.equal(readlinkSync(path.join(back, 'tree', 'link')), 'sub/data');
      assert.deepEqual(readFileSync(path.join(back, 'tree', 'sub', 'data')), Buffer.alloc(200_000, 7));
    });

    if (level === 'microvm') {
      test('a 100 MB file goes in and out through the agent with equal checksums', { timeout: 600_000 }, async () => {
        await bigFileRoundTrip(world, id, level, '/tmp/big.bin');
        await world.engine.exec(id, ['rm', '/tmp/big.bin']);
      });

      // Last: it replaces the guest's tar.
      test('a hostile tar from inside the VM is refused and nothing lands outside the destination', async () => {
        await refusesHostileTar(world, id, level);
      });
    }
  });
}

test('nothing is left behind', async () => {
  await world.engine.downAll();
  world.ids.clear();
  assert.deepEqual(world.leftovers(), emptyLeftovers());
});
