// OCI images run at the container and gvisor levels through the real CLI: pulled on first launch,
// their Entrypoint/Cmd/Env/WorkingDir/User honoured, the spec's overrides on top, and a writable
// root that lands in the sandbox's overlay, never in the cached image.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { emptyLeftovers } from '../engine/sandbox-env';
import { imageWorld } from './image-world';

const iw = imageWorld(['tiny', 'whiteout'], 120_000);
const { run } = iw;

const cachedRootfs = () => path.join(iw.world.root, 'cache', 'isolation-spectrum', 'images', 'rootfs');

for (const level of ['container', 'gvisor'] as const) {
  describe(`an image at the ${level} level`, () => {
    test('an unpulled image is pulled, and runs its Entrypoint + Cmd with its Env and WorkingDir', () => {
      const r = run(`tiny-${level}.sandbox.yaml`, `name: tiny\nisolation: ${level}\nimage: ${iw.reg.host}/test/tiny:1\n`);
      assert.equal(r.status, 0, r.err);
      assert.equal(r.out.trim(), 'hello from /home/app');
    });

    test('command replaces Cmd, entrypoint replaces Entrypoint, spec env wins', () => {
      const a = run(`cmd-${level}.sandbox.yaml`, `name: cmd\nisolation: ${level}\nimage: ${iw.reg.host}/test/tiny:1\ncommand: ['echo $GREETING $PATH']\nenv: { GREETING: spec }\n`);
      assert.equal(a.status, 0, a.err);
      assert.equal(a.out.trim(), 'spec /bin');
      const b = run(`ep-${level}.sandbox.yaml`, `name: ep\nisolation: ${level}\nimage: ${iw.reg.host}/test/tiny:1\nentrypoint: [/bin/echo, from-entrypoint]\n`);
      assert.equal(b.status, 0, b.err);
      assert.equal(b.out.trim(), 'from-entrypoint', "the image's Cmd is dropped with a new entrypoint");
    });

    test('whiteouts are honoured inside the sandbox', () => {
      const r = run(`wh-${level}.sandbox.yaml`, `name: wh\nisolation: ${level}\nimage: ${iw.reg.host}/test/whiteout:1\ncommand: ['cat /etc/replaced; ls /data/old; test -e /etc/doomed || echo doomed-gone']\n`);
      assert.equal(r.status, 0, r.err);
      assert.equal(r.out.trim(), 'upper\nb\ndoomed-gone');
    });

    test("the image's User, from an oci-layout source", () => {
      const r = run(`user-${level}.sandbox.yaml`, `name: user\nisolation: ${level}\nimage: oci-layout:${iw.layout}:asapp\n`);
      assert.equal(r.status, 0, r.err);
      assert.equal(r.out.trim(), '1000:1000 in /home/app');
    });

    test('a writable root writes to the overlay, never to the cached image', () => {
      const r = run(`rw-${level}.sandbox.yaml`, `name: rw\nisolation: ${level}\nimage: ${iw.reg.host}/test/tiny:1\nreadonly: false\ncommand: ['echo changed > /etc/replaced && rm /bin/ls && cat /etc/replaced']\n`);
      assert.equal(r.status, 0, r.err);
      assert.equal(r.out.trim(), 'changed');
      const dirs = readdirSync(cachedRootfs());
      assert.ok(dirs.length > 0);
      for (const d of dirs) {
        assert.match(readFileSync(path.join(cachedRootfs(), d, 'etc', 'replaced'), 'utf8'), /^(lower|upper)\n$/);
        assert.ok(existsSync(path.join(cachedRootfs(), d, 'bin', 'ls')));
      }
    });
  });
}

test('nothing is left behind: no overlay mounts, sandboxes or runtime directories', async () => {
  await iw.world.engine.downAll();
  assert.deepEqual(iw.world.leftovers(), emptyLeftovers());
});

test('a registry that does not answer: a clear error, nothing left', () => {
  const r = run('gone.sandbox.yaml', 'name: gone\nisolation: container\nimage: 127.0.0.1:9/none/such:1\n');
  assert.equal(r.status, 125, r.err);
  assert.match(r.err, /cannot reach 127\.0\.0\.1:9/);
  assert.deepEqual(iw.world.leftovers(), emptyLeftovers());
});
