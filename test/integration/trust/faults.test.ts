// Faults (issue 12, "Prove it"): a runtime binary that fails at once, hangs or is missing; the
// state or runtime folder on a full tmpfs; a spec edited or deleted between the check and the
// launch; a QEMU killed mid-boot; the CLI (the monitor's IPC peer) killed while it waits. Each
// launch fails with a clear error naming the cause, and nothing is left: no process, mount,
// cgroup, state or runtime folder, socket, listener or temp file (test/helpers/leftovers.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ROOT, sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';
import { leftoverCounts, NO_LEFTOVERS, settledLeftovers } from '../../helpers/leftovers';
import { which } from '../../../engine/host/binaries';
import { newestCachedKernel } from '../../../engine/vm/guest-kernel';
import { specFromFirecrackerConfig } from '../../../engine/vm/spec-request';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const ID = /\b([a-z0-9][a-z0-9_.-]*-[0-9a-f]{6})\b/g;
const kernel = newestCachedKernel();
let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
});

after(async () => {
  await world.close();
});

/** `spectrum ...` with extra environment; ids named in stdout or stderr join the world's. */
function cli(args: string[], extra: NodeJS.ProcessEnv = {}, timeoutMs = 90_000): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: world.root, env: { ...world.env, ...extra }, encoding: 'utf8', timeout: timeoutMs });
  for (const m of `${r.stdout}\n${r.stderr}`.matchAll(ID)) world.ids.add(m[1]);
  return r;
}

/** An executable shell script in the world (a fake runtime). */
function script(name: string, body: string): string {
  const p = world.write(name, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

const stateDir = () => path.join(world.root, 'state', 'isolation-spectrum', 'sandboxes');
const ids = () => (existsSync(stateDir()) ? readdirSync(stateDir()).filter((n) => !n.startsWith('.')) : []);

function status(id: string): { state?: string; pid?: number; reason?: string } {
  try {
    return JSON.parse(readFileSync(path.join(stateDir(), id, 'status.json'), 'utf8'));
  } catch {
    return {};
  }
}

async function until<T>(what: string, ms: number, f: () => T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `testMount`: the test's own tmpfs, which is no leftover of the engine's. */
async function assertClean(label: string, testMount?: string): Promise<void> {
  const settled = await settledLeftovers(world, [], 10_000);
  const left = { ...settled, mounts: settled.mounts.filter((m) => !testMount || m.split(' ')[1] !== testMount) };
  process.stdout.write(`# ${label}: ${leftoverCounts(left)}\n`);
  assert.deepEqual(left, NO_LEFTOVERS);
}

const SLEEPER = 'isolation: container\nimage: busybox\ncommand: [/bin/sleep, "300"]\n';

describe('faults: the runtime binary', () => {
  test('fails at once: its own message reaches the user, and nothing is left', { timeout: 120_000 }, async () => {
    const fake = script('failing-runc', 'echo "failing-runc: cannot create container: the kernel said no" >&2\nexit 1');
    world.write('fail.sandbox.yaml', `name: fail\n${SLEEPER}`);
    const r = cli(['up', 'fail.sandbox.yaml'], { SPECTRUM_RUNC: fake });
    assert.equal(r.status, 125, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /fail: launch failed: failing-runc exited \(code 1\) before it was ready/);
    assert.match(r.stderr, /failing-runc: cannot create container: the kernel said no/);
    await assertClean('failing runtime');
  });

  test('hangs: the launch times out with the reason, and the hung process is killed', { timeout: 120_000 }, async () => {
    // Hangs in `run` only (its delete works), like a runtime stuck creating the container.
    const fake = script('hanging-runc', 'for a in "$@"; do [ "$a" = run ] && exec sleep 1000; done\nexit 0');
    world.write('hang.sandbox.yaml', `name: hang\n${SLEEPER}`);
    const started = Date.now();
    const r = cli(['up', 'hang.sandbox.yaml'], { SPECTRUM_RUNC: fake });
    assert.equal(r.status, 125, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /hang: launch failed: not ready: the runtime did not start the sandbox's process within 30000 ms/);
    assert.ok(Date.now() - started < 60_000, 'it gave up near its start timeout');
    await assertClean('hanging runtime');
  });

  test('missing at its configured path: refused before anything starts, the path and the fix named', { timeout: 60_000 }, async () => {
    world.write('missing.sandbox.yaml', `name: missing\n${SLEEPER}`);
    const r = cli(['up', 'missing.sandbox.yaml'], { SPECTRUM_RUNC: path.join(world.root, 'no-such-runc') });
    assert.equal(r.status, 125, `${r.stdout}\n${r.stderr}`);
    // The configured path is named, not "runc is not installed" (PATH has one: it is not used).
    assert.match(r.stderr, /missing: runc cannot run here: the configured runc \(SPECTRUM_RUNC=\S+\/no-such-runc\) is not an executable file/);
    assert.match(r.stderr, /fix: point it \(the isolationSpectrum\.runtimePaths\.runc setting\) at the runc binary/);
    await assertClean('missing runtime');
  });
});

/** A tiny tmpfs mounted at `dir` and filled to the last byte; returns the filler's path. */
function fullTmpfs(dir: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'spectrum-fault', dir]);
  const filler = path.join(dir, 'filler');
  const fd = openSync(filler, 'w');
  try {
    for (;;) writeSync(fd, Buffer.alloc(4096));
  } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally {
    closeSync(fd);
  }
  return filler;
}

function unmount(dir: string): void {
  if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir]);
}

/** Every file under `dir` but the filler (directories are no data). */
function filesUnder(dir: string, skip: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (p === skip) continue;
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, skip));
    else out.push(p);
  }
  return out;
}

describe('faults: a full disk', () => {
  for (const [which_, sub, cause] of [
    ['state', 'state', /full: cannot record the sandbox: no space left on the device \(ENOSPC\)/],
    ['runtime', 'run', /full: launch failed: runc exited \(code 1\) before it was ready: no space left on the device holding /],
  ] as const) {
    test(`the ${which_} folder on a full tmpfs: refused in words, nothing half-written, works once space is back`, { timeout: 120_000 }, async () => {
      const dir = path.join(world.root, sub);
      world.write('full.sandbox.yaml', `name: full\n${SLEEPER}`);
      const filler = fullTmpfs(dir);
      try {
        const r = cli(['up', 'full.sandbox.yaml']);
        assert.equal(r.status, 125, `${r.stdout}\n${r.stderr}`);
        assert.match(r.stderr, cause);
        assert.doesNotMatch(r.stderr, /internal error/);
        // Only the change stamp may have been written (it is, when a page is free).
        assert.deepEqual(filesUnder(dir, filler).filter((f) => !f.endsWith('/.changed')), [], 'nothing half-written is left');
        await assertClean(`full ${which_} folder`, dir);
        rmSync(filler);
        const again = cli(['up', 'full.sandbox.yaml']);
        assert.equal(again.status, 0, again.stderr);
        assert.match(again.stdout, /\trunning/);
        const down = cli(['down', '--all']);
        assert.equal(down.status, 0, down.stderr);
        await assertClean(`full ${which_} folder, after space came back`, dir);
      } finally {
        cli(['down', '--all']);
        unmount(dir);
      }
    });
  }
});

describe('faults: the spec changes under the launch', () => {
  test('a spec file edited, then deleted, after it was read: the launch runs what was checked', { timeout: 120_000 }, async () => {
    const file = world.write('edited.sandbox.yaml', 'name: edited\nisolation: container\nimage: busybox\ncommand: [/bin/echo, as-checked]\n');
    const [spec] = await world.engine.specs(file);
    writeFileSync(file, 'name: edited\nisolation: container\nimage: busybox\ncommand: [/bin/echo, as-edited]\n');
    const first = await world.engine.run(spec);
    assert.equal(first.exitCode, 0, first.output);
    assert.equal(first.output, 'as-checked\n');
    rmSync(file);
    const second = await world.engine.run(spec);
    assert.equal(second.output, 'as-checked\n');
    await assertClean('edited spec');
  });

  test('a Firecracker config whose drive is swapped for a writable one outside its folder after the check: the checked drive boots', { timeout: 180_000 }, async () => {
    assert.ok(kernel, 'no guest kernel cached: `npm test` runs the set-up, which fetches it as root (sudo npm run setup)');
    const dir = path.join(world.root, 'fc');
    const outside = path.join(world.root, 'outside');
    for (const [d, marker] of [[dir, 'as-checked'], [outside, 'as-edited']]) {
      mkdirSync(path.join(d, 'tree'), { recursive: true });
      writeFileSync(path.join(d, 'tree', 'marker'), `${marker}\n`);
      execFileSync('mkfs.ext4', ['-q', '-F', '-d', path.join(d, 'tree'), path.join(d, 'data.ext4'), '8M']);
    }
    copyFileSync(kernel!.vmlinux, path.join(dir, 'vmlinux.bin'));
    const cfg = (drive: Record<string, unknown>) => JSON.stringify({
      'boot-source': { kernel_image_path: 'vmlinux.bin', boot_args: 'console=ttyS0 reboot=k panic=1 pci=off' },
      drives: [{ drive_id: 'data', is_root_device: false, ...drive }],
      'machine-config': { vcpu_count: 1, mem_size_mib: 256 },
    });
    const file = path.join(dir, 'vm_config.json');
    writeFileSync(file, cfg({ path_on_host: 'data.ext4', is_read_only: true }));
    const fc = specFromFirecrackerConfig(file, { command: ['cat', '/drives/data/marker'] });
    // The swap: a writable drive from outside the config's folder, which would need --unsafe.
    writeFileSync(file, cfg({ path_on_host: path.join(outside, 'data.ext4'), is_read_only: false }));
    const r = await world.engine.run(fc.spec, { timeoutMs: 120_000 });
    assert.equal(r.exitCode, 0, r.output);
    assert.equal(r.output, 'as-checked\n');
    await assertClean('edited Firecracker config');
  });
});

describe('faults: processes vanish mid-launch', () => {
  test('QEMU killed with SIGKILL during boot: the sandbox fails with the reason, nothing left', { timeout: 180_000 }, async () => {
    assert.ok(kernel, 'no guest kernel cached: `npm test` runs the set-up, which fetches it as root (sudo npm run setup)');
    const file = world.write('boot.sandbox.yaml', 'name: boot\nisolation: microvm\nimage: busybox\ncommand: [/bin/echo, booted]\nresources: { memory: 192Mi }\n');
    const [spec] = await world.engine.specs(file);
    const launching = world.engine.upSpec(spec).then(
      () => undefined,
      (e: Error) => e,
    );
    const id = await until('the VMM to start', 60_000, () => ids().find((i) => i.startsWith('boot-') && status(i).pid));
    world.ids.add(id);
    const pid = status(id).pid!;
    assert.match(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), /qemu-system/);
    process.kill(pid, 'SIGKILL');
    const err = await launching;
    assert.ok(err instanceof Error, 'the launch failed');
    assert.match(err.message, /boot: launch failed: qemu-system-x86_64 exited \(code null, SIGKILL\) before it was ready/);
    await assertClean('QEMU killed mid-boot');
  });

  test('the CLI killed while `up` and `run` wait: the monitor carries on alone, nothing left after down', { timeout: 180_000 }, async () => {
    const runc = which('runc');
    assert.ok(runc, 'runc is not installed: apt-get install runc');
    // A runtime that takes 2 s to start: a window to kill the CLI in, while its monitor waits.
    const slow = script('slow-runc', `for a in "$@"; do [ "$a" = run ] && sleep 2; done\nexec ${runc} "$@"`);
    world.write('peer-up.sandbox.yaml', `name: peer-up\n${SLEEPER}`);
    world.write('peer-run.sandbox.yaml', `name: peer-run\n${SLEEPER}`);
    const env = { ...world.env, SPECTRUM_RUNC: slow };
    const killed: Record<string, string> = {};
    for (const verb of ['up', 'run']) {
      const child = spawn(process.execPath, [CLI, verb, `peer-${verb}.sandbox.yaml`], { cwd: world.root, env, stdio: 'ignore' });
      const exited = new Promise((r) => child.on('exit', r));
      killed[verb] = await until(`${verb}'s runtime to start`, 60_000, () => ids().find((i) => i.startsWith(`peer-${verb}-`) && status(i).pid));
      world.ids.add(killed[verb]);
      assert.equal(status(killed[verb]).state, 'starting', 'the CLI is killed while the launch still waits');
      child.kill('SIGKILL');
      await exited;
    }
    // `up` (owner cli) finishes its launch: the container runs. `run` owned its sandbox through
    // the channel: the monitor tears it down by itself, with the reason.
    const up = await until('the up sandbox to run', 30_000, () => (status(killed.up).state === 'running' ? status(killed.up) : undefined));
    assert.ok(up.pid && existsSync(`/proc/${up.pid}`), 'its runtime is alive');
    const run = await until('the run sandbox to end', 30_000, () => (['failed', 'exited'].includes(status(killed.run).state ?? '') ? status(killed.run) : undefined));
    assert.match(run.reason ?? '', /owner went away/);
    const ps = cli(['ps', '--json']);
    const list = JSON.parse(ps.stdout) as Array<{ id: string; state: string }>;
    assert.equal(list.find((s) => s.id === killed.up)?.state, 'running');
    assert.equal(list.find((s) => s.id === killed.run)?.state, 'failed');
    const down = cli(['down', '--all']);
    assert.equal(down.status, 0, down.stderr);
    await assertClean('CLI killed mid-launch');
  });
});
