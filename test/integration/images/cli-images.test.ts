// The image verbs through the real CLI: pull, images, rmi, image prune, and prune keeping what a
// sandbox still uses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { emptyLeftovers, sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';
import { startRegistry, type TestRegistry } from '../../helpers/registry';
import { testImageLayout } from '../../helpers/test-images';
import type { ImageInfo } from '../../../engine/images/service';

let world: SandboxWorld;
let reg: TestRegistry;

before(async () => {
  world = sandboxWorld();
  const layout = testImageLayout();
  reg = await startRegistry();
  await reg.push(`oci:${layout}:tiny`, 'test/tiny:1');
  await reg.push(`oci:${layout}:whiteout`, 'test/whiteout:1');
});
after(async () => {
  await world?.close();
  await reg?.stop();
});

// Generous: on a loaded shared machine one CLI call has taken most of a minute.
const cli = (args: string[]) => world.cli(args, { timeoutMs: 180_000 });
const images = (): ImageInfo[] => JSON.parse(cli(['images', '--json']).stdout) as ImageInfo[];
const rootfsOf = (digest: string) => path.join(world.root, 'cache', 'isolation-spectrum', 'images', 'rootfs', digest.slice(7));

test('pull prints one line per blob off a terminal, then the image', () => {
  const r = cli(['pull', `${reg.host}/test/whiteout:1`]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.trim().split('\n').filter((l) => /^sha256:[0-9a-f]{12}  [\d.]+ MiB fetched$/.test(l)).length, 3, r.stderr);
  assert.match(r.stdout, new RegExp(`^${reg.host}/test/whiteout:1  sha256:[0-9a-f]{64}  [\\d.]+ MiB  linux/amd64\\n$`));
  const again = cli(['pull', `${reg.host}/test/whiteout:1`]);
  assert.equal(again.stderr.trim().split('\n').filter((l) => l.endsWith('already present')).length, 3, again.stderr);
});

test('images lists, rmi forgets, prune frees the bytes and says so', () => {
  assert.equal(cli(['pull', `${reg.host}/test/tiny:1`]).status, 0);
  assert.deepEqual(images().map((i) => i.shortName).sort(), [`${reg.host}/test/tiny:1`, `${reg.host}/test/whiteout:1`]);
  const table = cli(['images']).stdout;
  assert.match(table, /^IMAGE +DIGEST +SIZE +PLATFORM +PULLED +USED BY\n/);
  assert.equal(cli(['rmi', `${reg.host}/test/whiteout:1`]).status, 0);
  assert.deepEqual(images().map((i) => i.shortName), [`${reg.host}/test/tiny:1`]);
  const pr = cli(['image', 'prune', '--json']);
  assert.equal(pr.status, 0, pr.stderr);
  const res = JSON.parse(pr.stdout) as { bytes: number; blobs: number };
  assert.ok(res.bytes > 0 && res.blobs >= 2, pr.stdout);
  assert.equal(JSON.parse(cli(['image', 'prune', '--json']).stdout).bytes, 0, 'a second prune has nothing left');
  const miss = cli(['rmi', 'nope:1']);
  assert.equal(miss.status, 125);
  assert.match(miss.stderr, /no image nope:1 in the store/);
});

test('prune keeps the unpacked image a sandbox still uses', async () => {
  world.write('long.sandbox.yaml', `name: long\nisolation: container\nimage: ${reg.host}/test/tiny:1\ncommand: ['sleep 60']\n`);
  const up = cli(['up', 'long.sandbox.yaml', '--json']);
  assert.equal(up.status, 0, up.stderr);
  const [img] = images();
  assert.equal(img.usedBy.length, 1);
  assert.equal(cli(['rmi', img.name]).status, 0);
  cli(['image', 'prune']);
  assert.ok(existsSync(rootfsOf(img.digest)), 'kept while the sandbox exists');
  await world.engine.downAll();
  const freed = cli(['image', 'prune']);
  assert.match(freed.stdout, /^freed [\d.]+ MiB \(\d+ blobs, 1 unpacked images, \d+ VM disks\)\n$/);
  assert.ok(!existsSync(rootfsOf(img.digest)));
  assert.deepEqual(world.leftovers(), emptyLeftovers());
});
