// spectrum cp on the real runc and runsc: a folder tree both ways with its modes and symlinks, a
// 100 MB file both ways (checksums equal), the CLI verb, and a sandbox that answers a copy out
// with a hostile tar (a `../` entry, a file through its own symlink): refused, nothing written
// outside the destination.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sandboxWorld, emptyLeftovers, type SandboxWorld } from '../engine/sandbox-env';
import { bigFileRoundTrip, refusesHostileTar } from './cases';

let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
});

after(async () => {
  await world.close();
});

const sleeper = (name: string, isolation: string) =>
  `name: ${name}\nisolation: ${isolation}\nimage: busybox\nreadonly: false\ncommand: [/bin/sh, -c, "echo ready; exec sleep 3600"]\n`;

/** `up` returns once the runtime is spawned; exec needs the workload itself started. */
async function waitReady(id: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await world.engine.logs(id)).includes('ready')) {
    if (Date.now() > deadline) assert.fail(`${id} never printed ready`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A small tree with an executable, a private file and a relative symlink. */
function makeTree(dir: string): void {
  mkdirSync(path.join(dir, 'sub'), { recursive: true });
  writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\necho ran\n');
  chmodSync(path.join(dir, 'run.sh'), 0o755);
  writeFileSync(path.join(dir, 'sub', 'secret'), 'shh\n');
  chmodSync(path.join(dir, 'sub', 'secret'), 0o600);
  symlinkSync('sub/secret', path.join(dir, 'link'));
}

for (const isolation of ['container', 'gvisor']) {
  describe(`cp: ${isolation}`, () => {
    let id = '';
    before(async () => {
      const [info] = await world.engine.up(world.write(`${isolation}.sandbox.yaml`, sleeper(`cp-${isolation}`, isolation)));
      id = info.id;
      world.ids.add(id);
      await waitReady(id);
    });
    after(async () => {
      await world.engine.down(id);
      world.ids.delete(id);
    });

    test('a folder goes in and comes back out with its modes and symlinks', async () => {
      const src = path.join(world.root, `${isolation}-tree`);
      makeTree(src);
      const r = await world.engine.copyIn(id, src, '/srv-tree');
      assert.equal(r.path, '/srv-tree');
      const inside = await world.engine.exec(id, ['/bin/sh', '-c', 'stat -c "%a %n" /srv-tree/run.sh /srv-tree/sub/secret; readlink /srv-tree/link; /srv-tree/run.sh']);
      assert.equal(inside.exitCode, 0, inside.stderr);
      assert.equal(inside.stdout, '755 /srv-tree/run.sh\n600 /srv-tree/sub/secret\nsub/secret\nran\n');

      // Into an existing folder: lands under its own name.
      const back = path.join(world.root, `${isolation}-back`);
      mkdirSync(back);
      const out = await world.engine.copyOut(id, '/srv-tree', back);
      assert.equal(out.path, path.join(back, 'srv-tree'));
      assert.equal(readFileSync(path.join(back, 'srv-tree', 'run.sh'), 'utf8'), '#!/bin/sh\necho ran\n');
      assert.equal(lstatSync(path.join(back, 'srv-tree', 'run.sh')).mode & 0o777, 0o755);
      assert.equal(lstatSync(path.join(back, 'srv-tree', 'sub', 'secret')).mode & 0o777, 0o600);
      assert.equal(readlinkSync(path.join(back, 'srv-tree', 'link')), 'sub/secret');
    });

    test('the CLI verb copies both ways; a missing path fails with tar\'s reason', () => {
      const f = world.write(`${isolation}-note.txt`, 'hello from the host\n');
      let r = world.cli(['cp', f, `${id}:/tmp/note.txt`]);
      assert.equal(r.status, 0, r.stderr);
      r = world.cli(['cp', `${id}:/tmp/note.txt`, path.join(world.root, `${isolation}-note-back.txt`)]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(readFileSync(path.join(world.root, `${isolation}-note-back.txt`), 'utf8'), 'hello from the host\n');
      r = world.cli(['cp', `${id}:/no/such/file`, world.root]);
      assert.equal(r.status, 125);
      assert.match(r.stderr, /tar in the sandbox exited 1: .*no such file/i);
      r = world.cli(['cp', f, `${id}:/no/such/dir/x`]);
      assert.equal(r.status, 125);
      assert.match(r.stderr, /no such folder in the sandbox: \/no\/such\/dir/);
    });

    test('a 100 MB file goes in and out with equal checksums', async () => {
      await bigFileRoundTrip(world, id, isolation, '/big.bin');
    });

    test('a hostile tar from the sandbox is refused and nothing lands outside the destination', async () => {
      await refusesHostileTar(world, id, isolation);
    });
  });
}

test('nothing is left behind', async () => {
  await world.engine.downAll();
  world.ids.clear();
  assert.deepEqual(world.leftovers(), emptyLeftovers());
});
