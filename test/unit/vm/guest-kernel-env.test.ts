// `kernel: auto` honours SPECTRUM_KERNEL (the extension's kernel-path setting) before the host's
// and the cached kernels.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KernelError, resolveGuestKernel } from '../../../engine/vm/guest-kernel';

const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-kernel-env-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** An ELF header and a version banner: enough for format and release detection. */
function fakeVmlinux(name: string, release: string): string {
  const p = path.join(dir, name);
  const b = Buffer.alloc(0x800);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(b);
  b.write(`Linux version ${release} (builder@example) #1 SMP\0`, 0x400, 'latin1');
  writeFileSync(p, b);
  return p;
}

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ XDG_CACHE_HOME: path.join(dir, 'cache'), SPECTRUM_VM_CACHE: path.join(dir, 'vm'), ...extra });

describe('guest kernel for kernel: auto', () => {
  const chosen = fakeVmlinux('chosen-vmlinux', '6.6.6-chosen');
  const host = fakeVmlinux('host-vmlinux', '6.1.0-host');

  test('SPECTRUM_KERNEL wins over the host kernel', async () => {
    const k = await resolveGuestKernel('auto', { env: env({ SPECTRUM_KERNEL: chosen }), hostKernel: host });
    assert.equal(k.path, chosen);
    assert.equal(k.source, 'env');
    assert.equal(k.format, 'vmlinux');
    assert.equal(k.release, '6.6.6-chosen');
  });

  test('without SPECTRUM_KERNEL the host kernel is used', async () => {
    const k = await resolveGuestKernel('auto', { env: env(), hostKernel: host });
    assert.equal(k.path, host);
    assert.equal(k.source, 'host');
  });

  test('an explicit kernel path in the spec is not overridden', async () => {
    const k = await resolveGuestKernel(host, { env: env({ SPECTRUM_KERNEL: chosen }), hostKernel: host });
    assert.equal(k.path, host);
    assert.equal(k.source, 'spec');
  });

  test('a SPECTRUM_KERNEL that does not exist is a KernelError naming the variable', async () => {
    await assert.rejects(resolveGuestKernel('auto', { env: env({ SPECTRUM_KERNEL: path.join(dir, 'missing') }), hostKernel: host }), (e: unknown) => {
      assert.ok(e instanceof KernelError);
      assert.match(e.message, /SPECTRUM_KERNEL/);
      return true;
    });
  });
});
