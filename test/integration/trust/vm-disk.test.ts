// A VM's disk image follows the spec's `readonly` (the default): the guest can't change the
// host's file, tried for real by a guest that writes into its root image. And the console log
// the VMM writes stays bounded while a guest prints without end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { emptyLeftovers, sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';
import { createEngine } from '../../../engine/api';
import { newestCachedKernel } from '../../../engine/vm/guest-kernel';

const kernel = newestCachedKernel();
let world: SandboxWorld;

before(() => {
  assert.ok(kernel, 'no guest kernel cached: `npm test` runs the set-up, which fetches it as root (sudo npm run setup)');
  world = sandboxWorld();
});

after(async () => {
  await world?.close();
});

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

function diskImage(name: string): string {
  const tree = path.join(world.root, `${name}-tree`);
  mkdirSync(path.join(tree, 'bin'), { recursive: true });
  mkdirSync(path.join(tree, 'tmp'));
  copyFileSync('/usr/bin/busybox', path.join(tree, 'bin', 'busybox'));
  execFileSync('chmod', ['755', path.join(tree, 'bin', 'busybox')]);
  execFileSync('chroot', [tree, '/bin/busybox', '--install', '-s', '/bin']);
  const img = path.join(world.root, `${name}.ext4`);
  execFileSync('mkfs.ext4', ['-q', '-F', '-d', tree, img, '16M']);
  return img;
}

async function clean(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (JSON.stringify(world.leftovers()) === JSON.stringify(emptyLeftovers())) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(world.leftovers(), emptyLeftovers());
}

describe('VM disk images and console', () => {
  test('a read-only (default) disk image stays unchanged while the guest tries to write it', { timeout: 150_000 }, async () => {
    const img = diskImage('ro');
    const before = sha(img);
    const file = world.write('ro.sandbox.yaml', `name: ro-disk\nisolation: microvm\nimage: ${img}\ncommand: [/bin/sh, -c, "echo owned > /victim && echo WROTE || echo REFUSED; echo scratch > /tmp/x && echo TMP-OK"]\nresources: { memory: 192Mi }\ntimeout: 120s\n`);
    const [spec] = await world.engine.specs(file);
    assert.equal(spec.readonly, true);
    const r = await world.engine.run(spec);
    assert.match(r.output, /REFUSED/, r.output);
    assert.doesNotMatch(r.output, /WROTE/);
    assert.match(r.output, /TMP-OK/, 'a scratch /tmp still works');
    assert.equal(sha(img), before, 'the host file changed');
    await clean();
  });

  test('readonly: false attaches it writable, as asked', { timeout: 150_000 }, async () => {
    const img = diskImage('rw');
    const before = sha(img);
    const file = world.write('rw.sandbox.yaml', `name: rw-disk\nisolation: microvm\nimage: ${img}\nreadonly: false\ncommand: [/bin/sh, -c, "echo kept > /kept && sync && echo WROTE"]\nresources: { memory: 192Mi }\ntimeout: 120s\n`);
    const [spec] = await world.engine.specs(file);
    const r = await world.engine.run(spec);
    assert.match(r.output, /WROTE/, r.output);
    assert.notEqual(sha(img), before);
    await clean();
  });

  test('a guest printing without end leaves a bounded console log', { timeout: 150_000 }, async () => {
    const file = world.write('yes.sandbox.yaml', 'name: yes\nisolation: microvm\nimage: busybox\ncommand: [/bin/sh, -c, "yes 0123456789abcdef0123456789abcdef"]\nresources: { memory: 192Mi }\n');
    // A small cap: a guest under TCG prints only some tens of KiB a second.
    const CAP = 64 * 1024;
    const engine = createEngine({ env: { ...world.env, SPECTRUM_CONSOLE_LOG_CAP: String(CAP) } });
    const [info] = await engine.up(file);
    engine.dispose();
    const log = String(info.extra?.consoleLog);
    let biggest = 0;
    let total = 0;
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 500));
      if (existsSync(log)) biggest = Math.max(biggest, statSync(log).size);
      const out = path.join(world.root, 'state', 'isolation-spectrum', 'sandboxes', info.id, 'output.log');
      total = (existsSync(out) ? statSync(out).size : 0) + (existsSync(`${out}.1`) ? statSync(`${out}.1`).size : 0);
      if (total >= 8 * CAP && biggest > 0) break;
    }
    process.stdout.write(`# console.log peak ${Math.round(biggest / 1024)} KiB; output.log + .1 ${Math.round(total / 1024)} KiB\n`);
    assert.ok(total >= 4 * CAP, `the guest printed only ${total} bytes`);
    assert.ok(biggest <= 2 * CAP, `console.log reached ${biggest} bytes with a ${CAP}-byte cap`);
    await world.engine.down(info.id);
    await clean();
  });
});
