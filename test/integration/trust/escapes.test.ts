// Issue 12's attacks, tried for real through the built CLI and engine: a bundle whose hook would
// write a host file, a record whose pid now belongs to a stranger, a runtime directory made in
// advance by `nobody`, a bundle folder named `.oci`, and a fork bomb under the default limits.
// Each is shown harmless, and nothing is left behind.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptyLeftovers, ROOT, sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';
import { buildOciConfig } from '../../../engine/oci/config';
import { defaultSpec } from '../../../engine/spec/defaults';
import { isAlive, startTime } from '../../../engine/host/procfs';
import { runtimeFallback } from '../../../engine/state/paths';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** Set once the bounded burst proved the pids limit holds: the real fork bomb runs only then. */
let limitHeld = false;
const bootId = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
});

after(async () => {
  await world.close();
});

/** A bundle folder with a busybox rootfs inside it and the engine's own (safe) config. */
function bundle(name: string, command: string[], edit: (c: Record<string, unknown>) => void = () => undefined): string {
  const dir = path.join(world.root, name);
  const rootfs = path.join(dir, 'rootfs');
  mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
  writeFileSync(path.join(rootfs, 'bin', 'busybox'), readFileSync('/usr/bin/busybox'), { mode: 0o755 });
  const config = buildOciConfig(defaultSpec('b', 'container', dir, { command }), { rootfs: 'rootfs' }) as Record<string, unknown>;
  edit(config);
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

async function clean(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (JSON.stringify(world.leftovers()) === JSON.stringify(emptyLeftovers())) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(world.leftovers(), emptyLeftovers());
}

describe('escape attempts', () => {
  test('a createRuntime hook that writes a host file is refused without --unsafe, naming it', async () => {
    const victim = path.join(world.root, 'written-by-hook');
    const dir = bundle('hookbundle', ['/bin/busybox', 'true'], (c) => {
      c.hooks = { createRuntime: [{ path: '/bin/sh', args: ['sh', '-c', `echo X > ${victim}`] }] };
    });
    const r = world.cli(['up', dir]);
    assert.equal(r.status, 125, r.stdout + r.stderr);
    assert.match(r.stderr, /createRuntime hook runs \/bin\/sh -c echo X > /);
    assert.match(r.stderr, /--unsafe/);
    assert.equal(existsSync(victim), false, 'the hook ran on the host');
    await clean();
  });

  test('runc gets the judged copy of a bundle config, not the folder it came from', async () => {
    const dir = bundle('copybundle', ['/bin/busybox', 'sleep', '300']);
    const up = world.cli(['up', dir, '--json']);
    assert.equal(up.status, 0, up.stderr);
    const [info] = JSON.parse(up.stdout) as Array<{ id: string; extra: { bundle: string } }>;
    assert.notEqual(info.extra.bundle, dir);
    // An edit now (a hook added after the check) reaches nothing that runs.
    const cfg = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...cfg, hooks: { poststop: [{ path: '/bin/sh', args: ['sh', '-c', 'exit 0'] }] } }));
    assert.doesNotMatch(readFileSync(path.join(info.extra.bundle, 'config.json'), 'utf8'), /hooks/);
    assert.equal(world.cli(['down', info.id]).status, 0);
    await clean();
  });

  test('a record whose pid is now a stranger (reused pid, or another boot) is never signalled', async () => {
    const strangers: ChildProcess[] = [];
    try {
      const sandboxes = path.join(world.root, 'state', 'isolation-spectrum', 'sandboxes');
      mkdirSync(sandboxes, { recursive: true, mode: 0o700 });
      // A dead monitor: a process that has exited, so its pid is nobody's (or a stranger's).
      const gone = spawnSync('/bin/true').pid;
      const cases = [
        { id: 'reused-aaaaaa', start: (s: number) => s + 1, boot: bootId() },
        { id: 'reboot-bbbbbb', start: (s: number) => s, boot: '00000000-0000-4000-8000-000000000000' },
        { id: 'nostart-cccccc', start: () => undefined, boot: bootId() },
      ];
      for (const c of cases) {
        // An unrelated process in its own group, like anything a user runs.
        const p = spawn('/bin/sleep', ['300'], { detached: true, stdio: 'ignore' });
        strangers.push(p);
        await new Promise((r) => setTimeout(r, 50));
        const dir = path.join(sandboxes, c.id);
        mkdirSync(dir, { mode: 0o700 });
        const spec = defaultSpec('stranger', 'container', dir, { command: ['/bin/true'] });
        writeFileSync(path.join(dir, 'record.json'), JSON.stringify({ id: c.id, name: 'stranger', owner: 'cli', isolation: 'container', runtime: 'runc', createdAt: new Date(Date.now() - 120_000).toISOString(), spec }));
        writeFileSync(path.join(dir, 'plan.json'), JSON.stringify({ process: { command: '/bin/true', args: [] }, readiness: { kind: 'spawn' }, stop: [{ kind: 'signal', signal: 'SIGKILL' }], cleanup: [], network: 'none' }));
        writeFileSync(path.join(dir, 'status.json'), JSON.stringify({ state: 'running', monitorPid: gone, monitorStart: 1, bootId: c.boot, pid: p.pid, pidStart: c.start(startTime(p.pid!)!) }));
      }
      const ps = world.cli(['ps', '--json']);
      assert.equal(ps.status, 0, ps.stderr);
      const down = world.cli(['down', '--all']);
      assert.equal(down.status, 0, down.stderr);
      await new Promise((r) => setTimeout(r, 200));
      // Alive and not a zombie (the CLI calls above block this loop, so no exit event came yet).
      for (const p of strangers) assert.ok(isAlive(p.pid!) && p.signalCode === null, `process ${p.pid} was signalled`);
      assert.deepEqual(world.leftovers().sandboxes, []);
    } finally {
      for (const p of strangers) p.kill('SIGKILL');
    }
  });

  test('a runtime directory made in advance by nobody, mode 0777, is refused', { skip: isRoot ? false : 'handing a directory to nobody needs root' }, async () => {
    const tmp = path.join(world.root, 'tmp');
    mkdirSync(tmp, { mode: 0o1777 });
    const uid = process.getuid!();
    // The folder the engine would use for this world's state when XDG_RUNTIME_DIR is unset.
    const planted = runtimeFallback(tmp, uid, path.join(world.env.XDG_STATE_HOME!, 'isolation-spectrum'));
    mkdirSync(planted);
    chownSync(planted, 65534, 65534);
    chmodSync(planted, 0o777);
    world.write('plain.sandbox.yaml', 'name: plain\nisolation: container\nimage: busybox\ncommand: [/bin/true]\n');
    const env: NodeJS.ProcessEnv = { ...world.env, TMPDIR: tmp };
    delete env.XDG_RUNTIME_DIR;
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'run', 'plain.sandbox.yaml'], { cwd: world.root, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 125, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`refusing ${planted}: it is owned by uid 65534.*mode 0777`));
    assert.deepEqual(readFileSync('/proc/self/mounts', 'utf8').includes(planted), false);
    assert.deepEqual(spawnSync('ls', ['-A', planted], { encoding: 'utf8' }).stdout, '', 'nothing was put in it');
  });

  test('a bundle folder named .oci gets an id ps and down --all can see', async () => {
    const dir = bundle('.oci', ['/bin/busybox', 'sleep', '300']);
    const up = world.cli(['up', dir, '--json']);
    assert.equal(up.status, 0, up.stderr);
    const [info] = JSON.parse(up.stdout) as Array<{ id: string }>;
    assert.match(info.id, /^oci-[0-9a-f]{6}$/);
    const ps = JSON.parse(world.cli(['ps', '--json']).stdout) as Array<{ id: string; state: string }>;
    assert.equal(ps.find((s) => s.id === info.id)?.state, 'running');
    assert.equal(world.cli(['down', '--all']).status, 0);
    await clean();
  });

  test('state is private: 0700 directories, 0600 files', async () => {
    world.write('env.sandbox.yaml', 'name: envs\nisolation: container\nimage: busybox\nenv: { TOKEN: s3cret }\ncommand: [/bin/sleep, "300"]\n');
    const up = world.cli(['up', 'env.sandbox.yaml', '--json']);
    assert.equal(up.status, 0, up.stderr);
    const [info] = JSON.parse(up.stdout) as Array<{ id: string }>;
    const sandboxes = path.join(world.root, 'state', 'isolation-spectrum', 'sandboxes');
    const modes = spawnSync('find', [path.join(world.root, 'state', 'isolation-spectrum'), path.join(world.root, 'run', 'isolation-spectrum'), '-maxdepth', '3', '-printf', '%m %y %p\\n'], { encoding: 'utf8' }).stdout.trim().split('\n');
    const open = modes.filter((l) => {
      const [mode, type, p] = l.split(' ');
      // The runtimes' own state inside our private runtime folder is theirs to lay out.
      if (p.includes('/bundle') || p.includes('/rootfs') || p.includes('/runc/') || p.includes('/runsc/') || p.endsWith('.changed')) return false;
      return type === 'd' ? mode !== '700' : type === 'f' ? mode !== '600' : false;
    });
    assert.deepEqual(open, [], 'group- or world-readable state');
    assert.ok(modes.some((l) => l.includes(path.join(sandboxes, info.id, 'record.json'))));
    assert.equal(world.cli(['down', info.id]).status, 0);
    await clean();
  });
});

describe('fork bomb under the default limits', { skip: isRoot ? false : 'cgroup limits need root here (rootless says so at launch instead)' }, () => {
  test('a bounded burst of 700 processes stops at the default pids limit', { timeout: 180_000 }, async () => {
    // Bounded on purpose: if the limit failed to apply, this makes 700 sleeping processes for
    // 20 s, which the machine survives; the real bomb below only runs once this passed. The
    // burst runs in a subshell (a failed fork ends it); the count uses no fork at all.
    world.write('burst.sandbox.yaml', 'name: burst\nisolation: container\nimage: busybox\ncommand: [/bin/sh, -c, "(i=0; while [ $i -lt 700 ]; do sleep 20 & i=$((i+1)); done) 2>/dev/null; n=0; for p in /proc/[0-9]*; do n=$((n+1)); done; echo procs=$n"]\n');
    const r = world.cli(['run', 'burst.sandbox.yaml', '--timeout', '120s'], { timeoutMs: 150_000 });
    const n = Number(/procs=(\d+)/.exec(r.stdout)?.[1]);
    assert.ok(n > 100 && n <= 512, `the container held ${n} processes (limit 512): ${r.stdout.slice(-300)} ${r.stderr.slice(-300)}`);
    await clean();
    limitHeld = true;
  });

  test('a real fork bomb for 5 s leaves the host responsive and nothing behind', async () => {
    // Never on a host where the limit was not just seen to hold: that would take the machine down.
    assert.ok(limitHeld, 'not run: the bounded burst above did not stay under the pids limit');
    const before = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    world.write('bomb.sandbox.yaml', "name: bomb\nisolation: container\nimage: busybox\ncommand: [/bin/sh, -c, 'b() { b | b & }; b']\n");
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'run', 'bomb.sandbox.yaml', '--timeout', '5s'], { cwd: world.root, env: world.env, stdio: 'ignore' });
    const ended = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // While it runs: the host still starts a process promptly.
    const worst: number[] = [];
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const t = performance.now();
      spawnSync('/bin/true');
      worst.push(performance.now() - t);
    }
    const code = await Promise.race([ended, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 60_000))]);
    assert.notEqual(code, 'hung', 'spectrum run did not return after its timeout');
    const load = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    process.stdout.write(`# fork bomb: host spawn latency max ${Math.max(...worst).toFixed(1)} ms, load ${before} -> ${load} (${os.cpus().length} cores)\n`);
    assert.ok(Math.max(...worst) < 2000, `spawning on the host took ${Math.max(...worst).toFixed(0)} ms during the bomb`);
    assert.ok(load < before + 40, `load average rose from ${before} to ${load}`);
    await clean();
  });
});
