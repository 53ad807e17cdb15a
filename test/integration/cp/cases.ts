// Copy checks every level runs the same way (cp.test.ts for runc and runsc, agent.test.ts for
// microVMs and VMs through the guest agent): a 100 MB file both ways with equal checksums, and a
// sandbox answering a copy out with a hostile tar, refused with nothing written outside.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, createReadStream, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SandboxWorld } from '../engine/sandbox-env';
import { rawTar } from '../../unit/cp/raw-tar';

export async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(file)) h.update(c as Buffer);
  return h.digest('hex');
}

/** Copies 100 MB of incompressible data in and back out; returns the times (ms). */
export async function bigFileRoundTrip(world: SandboxWorld, id: string, label: string, sandboxPath: string): Promise<{ inMs: number; outMs: number }> {
  const big = path.join(world.root, `${label}-big.bin`);
  const block = randomBytes(1024 * 1024);
  writeFileSync(big, Buffer.concat(Array.from({ length: 100 }, (_, i) => Buffer.concat([block.subarray(i), block.subarray(0, i)]))));
  const want = await sha256(big);
  let t = Date.now();
  await world.engine.copyIn(id, big, sandboxPath);
  const inMs = Date.now() - t;
  const inside = await world.engine.exec(id, ['sha256sum', sandboxPath]);
  assert.equal(inside.stdout.split(' ')[0], want, inside.stderr);
  t = Date.now();
  const out = await world.engine.copyOut(id, sandboxPath, path.join(world.root, `${label}-big-back.bin`));
  const outMs = Date.now() - t;
  assert.equal(await sha256(out.path), want);
  console.log(`# ${label}: 100 MB in ${inMs} ms, out ${outMs} ms`);
  return { inMs, outMs };
}

/** The sandbox's tar is replaced by one that answers any copy out with `../` and symlink escapes. */
export async function refusesHostileTar(world: SandboxWorld, id: string, label: string): Promise<void> {
  const evil = world.write(`${label}-evil.tar`, '');
  writeFileSync(
    evil,
    rawTar([
      { path: './x/', type: 'Directory' },
      { path: './x/ok', body: 'fine' },
      { path: './x/../../escaped', body: 'pwned' },
      { path: './x/l', type: 'SymbolicLink', linkpath: '../..' },
      { path: './x/l/escaped2', body: 'pwned' },
    ]),
  );
  await world.engine.copyIn(id, evil, '/evil.tar');
  const fake = world.write(`${label}-tar`, '#!/bin/sh\ncat /evil.tar\n');
  chmodSync(fake, 0o755);
  await world.engine.copyIn(id, fake, '/bin/tar');
  const area = path.join(world.root, `${label}-area`);
  const dest = path.join(area, 'dest');
  mkdirSync(dest, { recursive: true });
  await assert.rejects(world.engine.copyOut(id, '/x', dest), /copy refused: entry '\.\/x\/\.\.\/\.\.\/escaped' points outside the destination; nothing was written/);
  assert.deepEqual(readdirSync(dest), []);
  assert.deepEqual(readdirSync(area), ['dest']);
  assert.ok(!readdirSync(world.root).some((n) => n.startsWith('escaped')));
}
