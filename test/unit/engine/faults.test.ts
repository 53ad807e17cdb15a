// Pure parts of the fault handling (issue 12): a full/read-only disk named in words, and the
// pid-file readiness runc launches wait on. The real faults run in test/integration/trust/faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../../../engine/errors';
import { diskError, fullDisks } from '../../../engine/state/disk-errors';
import { waitFile } from '../../../engine/lifecycle/readiness';
import { runcRunArgs } from '../../../engine/drivers/runc';
import { driverFor } from '../../../engine/drivers/registry';
import { defaultSpec } from '../../../engine/spec/defaults';
import type { HostSnapshot } from '../../../engine/host/snapshot';

const errno = (code: string, p?: string) => Object.assign(new Error(`${code}: boom`), { code, ...(p ? { path: p } : {}) });

test('a full disk, a used-up quota and a read-only file system are named in words, with the folder', () => {
  const e = diskError(errno('ENOSPC'), 'box: cannot record the sandbox', '/state');
  assert.ok(e instanceof EngineError);
  assert.equal(e.message, 'box: cannot record the sandbox: no space left on the device (ENOSPC) in /state');
  assert.match(e.fix ?? '', /free space there \(see df -h \/state\)/);
  assert.match((diskError(errno('EDQUOT', '/cache/x/blob'), 'w', '/state') as Error).message, /quota is used up \(EDQUOT\) in \/cache\/x$/);
  assert.match((diskError(errno('EROFS'), 'w', '/s') as Error).message, /read-only/);
});

test('any other error passes through unchanged', () => {
  const other = errno('EACCES');
  assert.equal(diskError(other, 'w', '/s'), other);
  const plain = new Error('x');
  assert.equal(diskError(plain, 'w', '/s'), plain);
});

test('fullDisks names nothing for folders with room (or that are gone)', () => {
  assert.equal(fullDisks([os.tmpdir(), '/no/such/folder']), undefined);
});

test('waitFile: resolves once the file appears, rejects when the process died or time ran out', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-waitfile-'));
  try {
    const f = path.join(dir, 'runc.pid');
    setTimeout(() => writeFileSync(f, '1'), 30);
    await waitFile(f, { timeoutMs: 5000 });
    await assert.rejects(waitFile(path.join(dir, 'never'), { timeoutMs: 5000, isAlive: () => false }), /exited before it wrote/);
    await assert.rejects(waitFile(path.join(dir, 'never'), { timeoutMs: 50 }), /did not start the sandbox's process within 50 ms/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runc is asked for the pid file its launch waits on, before the container id', () => {
  assert.deepEqual(runcRunArgs({ runDir: '/r', bundleDir: '/b', id: 'a-1', rootless: false, pidFile: '/r/runc.pid' }), ['--root', '/r/runc', 'run', '--bundle', '/b', '--no-new-keyring', '--pid-file', '/r/runc.pid', 'a-1']);
});

test('a runtime configured at a path that is not an executable is named with that path, not "not installed"', () => {
  const host = { collectedAt: '', collector: 'node', arch: 'x86_64', kernelRelease: '6.1', isRoot: true, uid: 0, binaries: { busybox: { path: '/bin/busybox' } }, configuredUnusable: { runc: 'SPECTRUM_RUNC=/opt/no-runc' } } as HostSnapshot;
  const spec = defaultSpec('box', 'container', '/w/box.sandbox.yaml', { image: 'busybox' });
  assert.throws(() => driverFor(spec, host), (e: EngineError) => {
    assert.match(e.message, /box: runc cannot run here: the configured runc \(SPECTRUM_RUNC=\/opt\/no-runc\) is not an executable file/);
    assert.match(e.fix ?? '', /isolationSpectrum\.runtimePaths\.runc/);
    return true;
  });
  const { configuredUnusable: _, ...plain } = host;
  assert.throws(() => driverFor(spec, plain as HostSnapshot), /runc is not installed/);
});
