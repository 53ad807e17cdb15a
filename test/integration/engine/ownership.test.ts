// Ownership: a window's sandboxes are torn down by their monitors when the owning process goes
// away (killed, no deactivate), while `cli` sandboxes live on; and 10 concurrent launches work.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { sandboxWorld, emptyLeftovers, ROOT, type SandboxWorld } from './sandbox-env';
import { isAlive } from '../../../engine/host/procfs';
import { waitFor } from '../../helpers/wait';

let world: SandboxWorld;

before(() => {
  world = sandboxWorld();
  world.write('sleepy.sandbox.yaml', 'name: sleepy\nisolation: container\nimage: busybox\ncommand: [/bin/sh, -c, "echo up; sleep 600"]\n');
});

after(async () => {
  await world.close();
});

describe('ownership', () => {
  test('a window-owned sandbox goes when its owner process is killed', async () => {
    // A stand-in for an extension host: creates an engine owned by a window, launches, then idles.
    const host = path.join(world.root, 'owner.ts');
    world.write(
      'owner.ts',
      `import { createEngine } from ${JSON.stringify(path.join(ROOT, 'engine', 'api'))};
const e = createEngine({ owner: 'window:test-1' });
e.up(${JSON.stringify(path.join(world.root, 'sleepy.sandbox.yaml'))}).then((l) => { console.log(JSON.stringify(l)); setInterval(() => {}, 1000); }, (err) => { console.error(err); process.exit(3); });
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', host], { cwd: ROOT, env: world.env, stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d) => {
        buf += d;
        if (buf.includes('\n')) resolve(buf.split('\n')[0]);
      });
      child.on('exit', (code) => reject(new Error(`owner exited ${code}`)));
    });
    const [info] = JSON.parse(line) as Array<{ id: string; pid: number; owner: string }>;
    world.ids.add(info.id);
    assert.equal(info.owner, 'window:test-1');
    assert.ok(isAlive(info.pid));
    child.kill('SIGKILL');
    const gone = await waitFor(async () => {
      const s = (await world.engine.ps()).find((x) => x.id === info.id);
      return s?.state === 'exited' && !isAlive(info.pid);
    }, 15_000);
    assert.ok(gone, 'the sandbox outlived its owner');
    // The monitor records the end, then finishes its own clean-up and exits: nothing may remain.
    const clean = await waitFor(async () => world.leftovers().processes.length === 0, 10_000);
    assert.ok(clean, `left behind: ${world.leftovers().processes.join('; ')}`);
  });

  test('a cli-owned sandbox outlives the CLI that launched it', async () => {
    const r = world.cli(['up', 'sleepy.sandbox.yaml', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const [info] = JSON.parse(r.stdout) as Array<{ id: string }>;
    const s = await world.engine.inspect(info.id);
    assert.equal(s.state, 'running');
    await world.engine.down(info.id);
  });

  test('10 concurrent launches all run, and all go with downAll', async () => {
    const [spec] = await world.engine.specs(path.join(world.root, 'sleepy.sandbox.yaml'));
    const infos = await Promise.all(Array.from({ length: 10 }, (_, i) => world.engine.upSpec({ ...spec, name: `many${i}` })));
    for (const i of infos) world.ids.add(i.id);
    assert.equal(new Set(infos.map((i) => i.id)).size, 10);
    const list = await world.engine.ps();
    assert.equal(list.filter((s) => s.state === 'running').length, 10);
    const removed = await world.engine.downAll();
    for (const i of infos) assert.ok(removed.includes(i.id), `${i.id} not removed`);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });
});

describe('reconciliation', () => {
  test('a monitor killed with SIGKILL: ps reports failed and cleans up what it left', async () => {
    const r = world.cli(['up', 'sleepy.sandbox.yaml', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const [info] = JSON.parse(r.stdout) as Array<{ id: string; pid: number }>;
    const { readFileSync } = await import('node:fs');
    const status = JSON.parse(readFileSync(path.join(world.root, 'state', 'isolation-spectrum', 'sandboxes', info.id, 'status.json'), 'utf8')) as { monitorPid: number };
    process.kill(status.monitorPid, 'SIGKILL');
    assert.ok(await waitFor(() => !isAlive(status.monitorPid), 5000));
    const seen = (await world.engine.ps()).find((s) => s.id === info.id);
    assert.equal(seen?.state, 'failed');
    assert.match(String(seen?.extra?.reason), /monitor died/);
    assert.ok(await waitFor(() => !isAlive(info.pid), 5000), 'the runtime outlived reconciliation');
    await world.engine.down(info.id);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });
});
