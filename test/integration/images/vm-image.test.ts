// OCI images at the microvm and vm levels under the real QEMU: the image's rootfs becomes a
// cached ext4 disk the guest boots into, running the image's Entrypoint/Cmd with its Env,
// WorkingDir and User; writes go to a throw-away snapshot, never to the cached disk; the guest
// agent's exec and cp reach into the image's root. Then the same Debian+python3 image, moved from
// container to gvisor to microvm, prints the same Python line under three different kernels.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { emptyLeftovers } from '../engine/sandbox-env';
import { debianPythonLayout } from '../../helpers/debian-image';
import { imageWorld } from './image-world';

// TCG boots share two cores with everything else: allow minutes, not seconds.
const RUN_MS = 240_000;
const iw = imageWorld(['tiny'], RUN_MS);
const { run } = iw;

const disksDir = () => path.join(iw.world.root, 'cache', 'isolation-spectrum', 'images', 'disks');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

for (const level of ['microvm', 'vm'] as const) {
  describe(`an image at the ${level} level`, { timeout: RUN_MS * 3 }, () => {
    test("a pulled image boots from its ext4 disk and runs its Entrypoint + Cmd with its Env and WorkingDir", () => {
      const r = run(`tiny-${level}.sandbox.yaml`, `name: tiny\nisolation: ${level}\nimage: ${iw.reg.host}/test/tiny:1\n`);
      assert.equal(r.status, 0, r.err);
      assert.equal(r.out.trim(), 'hello from /home/app');
      assert.ok(readdirSync(disksDir()).some((f) => f.endsWith('.ext4')), 'the disk is cached in the image store');
    });

    test("the image's User by name, the spec's command and env on top, in the guest's own kernel", () => {
      const r = run(`user-${level}.sandbox.yaml`, `name: user\nisolation: ${level}\nimage: oci-layout:${iw.layout}:asapp\ncommand: ['echo "$(id -u):$(id -g) $GREETING $(pwd)"; id -G; uname -r']\nenv: { GREETING: spec }\n`);
      assert.equal(r.status, 0, r.err);
      const [who, groups, kernel] = r.out.trim().split('\n');
      assert.equal(who, '1000:1000 spec /home/app');
      assert.equal(groups, '1000', 'no supplementary groups kept from the init');
      assert.notEqual(kernel, readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(), "the guest kernel, not the host's");
    });
  });
}

test('a writable root writes to a throw-away snapshot: the cached disk stays byte for byte the same', () => {
  const before = run('warm.sandbox.yaml', `name: warm\nisolation: microvm\nimage: oci-layout:${iw.layout}:tiny\ncommand: ['true']\n`);
  assert.equal(before.status, 0, before.err);
  const disks = readdirSync(disksDir()).filter((f) => f.endsWith('.ext4')).map((f) => path.join(disksDir(), f));
  const sums = disks.map(sha256);
  const w = run('rw.sandbox.yaml', `name: rw\nisolation: microvm\nreadonly: false\nimage: oci-layout:${iw.layout}:tiny\ncommand: ['echo changed > /etc/replaced && rm /bin/ls && mkdir /new && cat /etc/replaced && sync']\n`);
  assert.equal(w.status, 0, w.err);
  assert.equal(w.out.trim(), 'changed');
  assert.deepEqual(disks.map(sha256), sums, 'no cached disk changed');
  const again = run('again.sandbox.yaml', `name: again\nisolation: microvm\nimage: oci-layout:${iw.layout}:tiny\ncommand: ['cat /etc/replaced; test -e /bin/ls && test ! -e /new && echo fresh']\n`);
  assert.equal(again.status, 0, again.err);
  assert.equal(again.out.trim(), 'lower\nfresh', 'the next VM starts from the image again');
  const ro = run('ro.sandbox.yaml', `name: ro\nisolation: microvm\nimage: oci-layout:${iw.layout}:tiny\ncommand: ['echo x > /etc/replaced || echo refused']\n`);
  assert.equal(ro.status, 0, ro.err);
  assert.match(ro.out, /Read-only file system[\s\S]*refused/, 'the default read-only root is read-only in the guest too');
});

test('a program not in the image is refused before any boot, naming it', () => {
  const r = run('missing.sandbox.yaml', `name: missing\nisolation: microvm\nimage: oci-layout:${iw.layout}:tiny\nentrypoint: [no-such-program]\n`);
  assert.equal(r.status, 125, r.out);
  assert.match(r.err, /"no-such-program" is not an executable file in the image's PATH/);
});

// The Debian image: cp out runs the image's own tar, which the busybox test image lacks.
describe('the guest agent in an image VM', { timeout: 20 * 60_000 }, () => {
  let id = '';
  before(async () => {
    const debian = await debianPythonLayout((s) => console.log(`# ${s}`));
    const file = iw.world.write('agent.sandbox.yaml', `name: agent\nisolation: microvm\nimage: oci-layout:${debian}:python\ncommand: [/bin/sh, -c, 'echo ready; exec sleep 3600']\n`);
    const [info] = await iw.world.engine.up(file);
    id = info.id;
    iw.world.ids.add(id);
    const deadline = Date.now() + RUN_MS;
    while (!(await iw.world.engine.logs(id)).includes('ready')) {
      if (Date.now() > deadline) assert.fail(`${id} never printed ready: ${await iw.world.engine.logs(id)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  after(async () => {
    await iw.world.engine.down(id);
    iw.world.ids.delete(id);
  });

  test("exec runs inside the image's root, with the image's programs", async () => {
    const r = await iw.world.engine.exec(id, ['/bin/sh', '-c', 'cut -d. -f1 /etc/debian_version; python3 -c "print(6*7)"']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, '12\n42\n');
  });

  test("cp in and out goes to and from the image's root", async () => {
    const src = path.join(iw.world.root, 'cp-src');
    mkdirSync(src);
    writeFileSync(path.join(src, 'note'), 'from the host\n');
    await iw.world.engine.copyIn(id, src, '/tmp/in');
    const r = await iw.world.engine.exec(id, ['/bin/cat', '/tmp/in/note']);
    assert.equal(r.stdout, 'from the host\n', r.stderr);
    const back = path.join(iw.world.root, 'cp-back');
    mkdirSync(back);
    await iw.world.engine.copyOut(id, '/etc/debian_version', back);
    assert.match(readFileSync(path.join(back, 'debian_version'), 'utf8'), /^12\.\d+\n$/);
  });
});

test('the same Debian+python3 image at container, gvisor and microvm: same Python, three kernels', { timeout: 20 * 60_000 }, async () => {
  const started = Date.now();
  const debian = await debianPythonLayout((s) => console.log(`# ${s}`));
  console.log(`# Debian+python3 layout ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const py = `python3 -c "import sys,platform; print(sys.version_info[:2], platform.machine())"`;
  const lines: Record<string, string[]> = {};
  for (const level of ['container', 'gvisor', 'microvm'] as const) {
    const r = run(`py-${level}.sandbox.yaml`, `name: py\nisolation: ${level}\nimage: oci-layout:${debian}:python\ncommand: [/bin/sh, -c, '${py}; uname -r']\n`);
    assert.equal(r.status, 0, `${level}: ${r.err}`);
    lines[level] = r.out.trim().split('\n');
    assert.equal(lines[level].length, 2, `${level}: ${r.out}`);
  }
  assert.match(lines.container[0], /^\(3, \d+\) x86_64$/);
  assert.equal(lines.gvisor[0], lines.container[0]);
  assert.equal(lines.microvm[0], lines.container[0]);
  const kernels = [lines.container[1], lines.gvisor[1], lines.microvm[1]];
  assert.equal(kernels[0], readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(), "container: the host's kernel");
  assert.equal(new Set(kernels).size, 3, `three kernels: ${kernels.join(', ')}`);
});

test('image prune removes the disk of an image no longer stored, and keeps the others', () => {
  const before = readdirSync(disksDir()).filter((f) => f.endsWith('.ext4'));
  assert.equal(iw.world.cli(['rmi', `oci-layout:${iw.layout}:asapp`]).status, 0);
  const r = iw.world.cli(['image', 'prune', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout) as { disks: number; bytes: number };
  assert.equal(res.disks, 1, 'the user image had a disk of its own');
  const now = readdirSync(disksDir()).filter((f) => f.endsWith('.ext4'));
  assert.equal(now.length, before.length - 1);
  assert.ok(now.every((f) => before.includes(f)));
});

test('nothing is left behind: no QEMU, sandboxes or runtime directories', async () => {
  await iw.world.engine.downAll();
  iw.world.ids.clear();
  assert.deepEqual(iw.world.leftovers(), emptyLeftovers());
});
