// The set-up most integration files repeat: one private engine world per file, made before its
// tests (optionally refusing to start without a cached guest kernel) and closed after them, and
// the closing test that `down --all` leaves nothing behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { newestCachedKernel } from '../../engine/vm/guest-kernel';
import { emptyLeftovers, sandboxWorld, type SandboxWorld } from '../integration/engine/sandbox-env';

export const KERNEL_MISSING = 'no guest kernel cached: `npm test` runs the set-up, which fetches it as root (sudo npm run setup)';

/** Registers the file's before/after hooks; the returned function gives the world inside tests. */
export function useSandboxWorld(opts: { kernel?: boolean } = {}): () => SandboxWorld {
  let world: SandboxWorld | undefined;
  before(() => {
    if (opts.kernel) assert.ok(newestCachedKernel(), KERNEL_MISSING);
    world = sandboxWorld();
  });
  after(async () => {
    await world?.close();
  });
  return () => {
    if (!world) throw new Error('the sandbox world is made in before(): use it inside tests and hooks');
    return world;
  };
}

/** The file's last test: after `down --all`, no process, mount, cgroup, state or runtime folder is left. */
export function testNothingLeftBehind(world: () => SandboxWorld): void {
  test('nothing is left behind', async () => {
    const w = world();
    await w.engine.downAll();
    w.ids.clear();
    assert.deepEqual(w.leftovers(), emptyLeftovers());
  });
}
