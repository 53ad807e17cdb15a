// Bad input is refused with a clear error (exit 125, file:line:col for spec problems) and leaves
// no trace; a bundle that asks for privileges needs --unsafe.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { sandboxWorld, emptyLeftovers, ROOT, type SandboxWorld } from './sandbox-env';
import { buildOciConfig } from '../../../engine/oci/config';

let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
});

after(async () => {
  await world.close();
});

describe('refusals', () => {
  test('malformed YAML: exit 125 naming file:line:col, nothing created', () => {
    const file = world.write('broken.sandbox.yaml', 'name: x\nisolation: container\ncommand: [/bin/sh, -c\n');
    const r = world.cli(['up', 'broken.sandbox.yaml']);
    assert.equal(r.status, 125);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:\\d+:\\d+: error`));
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('a malformed image reference is refused with its position', () => {
    world.write('alpine.sandbox.yaml', 'name: a\nisolation: container\nimage: Alpine:3\ncommand: [/bin/true]\n');
    const r = world.cli(['up', 'alpine.sandbox.yaml']);
    assert.equal(r.status, 125);
    assert.match(r.stderr, /alpine\.sandbox\.yaml:3:\d+: error/);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('a command on an isolate is refused', () => {
    world.write('w.js', 'export default { fetch() { return new Response("x"); } };');
    world.write('iso.sandbox.yaml', 'name: i\nisolation: isolate\nworker: ./w.js\ncommand: [/bin/sh]\n');
    const r = world.cli(['run', 'iso.sandbox.yaml']);
    assert.equal(r.status, 125);
    assert.match(r.stderr, /iso\.sandbox\.yaml:\d+:\d+: error/);
  });

  test('a missing spec file and an unknown name are clear errors, not stack traces', () => {
    const a = world.cli(['up', 'nope.sandbox.yaml']);
    assert.equal(a.status, 125);
    assert.match(a.stderr, /nope\.sandbox\.yaml: no such file/);
    assert.doesNotMatch(a.stderr, /at .*\.js:\d+/);
    const b = world.cli(['inspect', 'ghost']);
    assert.equal(b.status, 125);
    assert.match(b.stderr, /no sandbox 'ghost'/);
  });

  test('a missing runtime gives the fix, not a stack trace', () => {
    world.write('g.sandbox.yaml', 'name: g\nisolation: gvisor\nimage: busybox\ncommand: [/bin/true]\n');
    // runsc lives in /usr/bin: with an empty PATH the engine cannot find it.
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'up', 'g.sandbox.yaml'], { cwd: world.root, env: { ...world.env, PATH: '/nonexistent' }, encoding: 'utf8' });
    assert.equal(r.status, 125);
    assert.match(r.stderr, /runsc \(gVisor\) is not installed/);
    assert.match(r.stderr, /fix: apt-get install runsc/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('a launch that fails at the runtime cleans up and says why', () => {
    world.write('nobin.sandbox.yaml', 'name: nobin\nisolation: container\nimage: busybox\ncommand: [/does/not/exist]\n');
    const r = world.cli(['run', 'nobin.sandbox.yaml']);
    assert.notEqual(r.status, 0);
    assert.match(r.stdout + r.stderr, /does\/not\/exist|no such file/i);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('a bundle asking for privileges is refused without --unsafe, runs with it', () => {
    const bundle = path.join(world.root, 'privbundle');
    mkdirSync(path.join(bundle, 'rootfs'), { recursive: true });
    // A rootfs of the host's busybox, and a config that asks for CAP_SYS_ADMIN.
    const rootfs = path.join(bundle, 'rootfs');
    mkdirSync(path.join(rootfs, 'bin'));
    writeFileSync(path.join(rootfs, 'bin', 'busybox'), readFileSync('/usr/bin/busybox'), { mode: 0o755 });
    const base = buildOciConfig(
      { name: 'priv', isolation: 'container', image: 'x', command: ['/bin/busybox', 'echo', 'privileged-ran'], env: {}, mounts: [], resources: {}, network: 'none', readonly: true, container: { runtime: 'runc' }, gvisor: { platform: 'auto' }, kernel: 'auto', microvm: { vmm: 'auto' }, devices: [], gpu: 'none', source: { file: bundle, document: 0 } },
      { rootfs: 'rootfs' },
    );
    base.process.capabilities = { bounding: ['CAP_SYS_ADMIN'], effective: ['CAP_SYS_ADMIN'], permitted: ['CAP_SYS_ADMIN'] };
    writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(base));
    const refused = world.cli(['up', bundle]);
    assert.equal(refused.status, 125);
    assert.match(refused.stderr, /asks for privileges: extra capabilities: CAP_SYS_ADMIN/);
    assert.match(refused.stderr, /--unsafe/);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
    const allowed = world.cli(['up', bundle, '--unsafe', '--json']);
    assert.equal(allowed.status, 0, allowed.stderr);
    const [info] = JSON.parse(allowed.stdout) as Array<{ id: string }>;
    const logs = world.cli(['logs', info.id]);
    assert.match(logs.stdout, /privileged-ran/);
    assert.equal(world.cli(['down', '--all']).status, 0);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });
});
