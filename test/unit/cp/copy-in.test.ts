// copyIn's end when the sandbox's side stops first (no such folder, a full disk): the tar
// stream then stalls with nothing reading it, so the sandbox's exit must decide, at once, with
// its reason. The "sandbox" here is a plain local process standing in for the runtime's exec.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyIn, hostProcess } from '../../../engine/cp/copy';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-copy-in-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('a sandbox side that fails before reading everything ends the copy with its reason', async () => {
  const big = path.join(tmp, 'big.bin');
  writeFileSync(big, Buffer.alloc(32 * 1024 * 1024, 1));
  const t = Date.now();
  await assert.rejects(
    copyIn(() => hostProcess({ command: 'sh', args: ['-c', 'head -c 1000 >/dev/null; echo "tar: write error: No space left on device" >&2; exit 1'] }), big, '/big.bin'),
    /copy failed: tar in the sandbox exited 1: tar: write error: No space left on device/,
  );
  assert.ok(Date.now() - t < 10_000, 'it did not wait for the stalled stream');
});

test('a sandbox side that reads everything and exits 0 is a copy', async () => {
  const small = path.join(tmp, 'small.txt');
  writeFileSync(small, 'x'.repeat(100_000));
  const r = await copyIn(() => hostProcess({ command: 'sh', args: ['-c', 'cat >/dev/null'] }), small, '/small.txt');
  assert.equal(r.path, '/small.txt');
  assert.ok(r.bytes > 100_000);
});
