// The guest agent in a running microVM and VM under the real QEMU (TCG here: slow, so one VM
// per level serves every test): exec with argv, env-free commands, exit codes and stderr kept
// apart, stdin, and cp both ways through the agent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, readlinkSync, lstatSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sandboxWorld, emptyLeftovers, type SandboxWorld } from '../engine/sandbox-env';

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
  describe(`guest agent: ${level}`, { timeout: BOOT_MS * 3 }, () => {
    let id = '';
    before(async () => {
      const file = world.write(`${level}.sandbox.yaml`, `name: a-${level}\nisolation: ${level}\nimage: busybox\nresources: { memory: 256Mi }\ncommand: [/bin/sh, -c, "echo ready; exec sleep 3600"]\n`);
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
  });
}

test('nothing is left behind', async () => {
  await world.engine.downAll();
  world.ids.clear();
  assert.deepEqual(world.leftovers(), emptyLeftovers());
});
