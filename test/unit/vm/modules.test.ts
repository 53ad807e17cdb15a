import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dependenciesOf, formatModulesDep, moduleNameOfPath, parseModinfo, parseModulesBuiltin, parseModulesDep, resolveModules } from '../../../engine/vm/modules';

const DEP = `kernel/fs/ext4/ext4.ko: kernel/fs/jbd2/jbd2.ko kernel/fs/mbcache.ko kernel/lib/crc16.ko
kernel/fs/jbd2/jbd2.ko:
kernel/fs/mbcache.ko:
kernel/lib/crc16.ko:
kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/virtio/virtio_mmio.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/virtio/virtio_ring.ko:
kernel/drivers/char/hw_random/virtio-rng.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
`;

/** A minimal ELF64 with a section string table and a .modinfo section. */
function fakeModule(modinfo: string): Buffer {
  const shstr = Buffer.from('\0.shstrtab\0.modinfo\0');
  const info = Buffer.from(modinfo);
  const dataOff = 0x40;
  const shOff = dataOff + shstr.length + info.length;
  const elf = Buffer.alloc(shOff + 3 * 64);
  elf.writeUInt32BE(0x7f454c46, 0);
  elf[4] = 2;
  elf[5] = 1;
  elf.writeBigUInt64LE(BigInt(shOff), 0x28);
  elf.writeUInt16LE(64, 0x3a);
  elf.writeUInt16LE(3, 0x3c);
  elf.writeUInt16LE(1, 0x3e);
  shstr.copy(elf, dataOff);
  info.copy(elf, dataOff + shstr.length);
  const sec = (i: number, name: number, off: number, size: number) => {
    const o = shOff + i * 64;
    elf.writeUInt32LE(name, o);
    elf.writeBigUInt64LE(BigInt(off), o + 0x18);
    elf.writeBigUInt64LE(BigInt(size), o + 0x20);
  };
  sec(1, 1, dataOff, shstr.length);
  sec(2, 11, dataOff + shstr.length, info.length);
  return elf;
}

describe('kernel modules', () => {
  test('load order puts dependencies first, each once', () => {
    const order = resolveModules(parseModulesDep(DEP), ['virtio_mmio', 'virtio_blk', 'ext4']);
    assert.deepEqual(order, [
      'kernel/drivers/virtio/virtio_ring.ko',
      'kernel/drivers/virtio/virtio.ko',
      'kernel/drivers/virtio/virtio_mmio.ko',
      'kernel/drivers/block/virtio_blk.ko',
      'kernel/fs/jbd2/jbd2.ko',
      'kernel/fs/mbcache.ko',
      'kernel/lib/crc16.ko',
      'kernel/fs/ext4/ext4.ko',
    ]);
  });

  test('dash and underscore name the same module; built-ins are skipped; unknown names fail', () => {
    assert.deepEqual(resolveModules(parseModulesDep(DEP), ['virtio_rng']).at(-1), 'kernel/drivers/char/hw_random/virtio-rng.ko');
    assert.deepEqual(resolveModules(parseModulesDep(DEP), ['virtio_console'], new Set(['virtio_console'])), []);
    assert.throws(() => resolveModules(parseModulesDep(DEP), ['no_such_mod']), /no_such_mod/);
    assert.equal(moduleNameOfPath('kernel/drivers/char/hw_random/virtio-rng.ko.xz'), 'virtio_rng');
  });

  test('modules.dep survives a format/parse round trip', () => {
    const dep = parseModulesDep(DEP);
    assert.deepEqual(parseModulesDep(formatModulesDep(dep)), dep);
  });

  test('reads depends= and plain softdep pre: names from .modinfo', () => {
    const info = parseModinfo(fakeModule('license=GPL\0depends=jbd2,mbcache,crc16\0softdep=pre: crc32c-generic\0name=ext4\0'));
    assert.deepEqual(info.get('name'), ['ext4']);
    assert.deepEqual(dependenciesOf(info), ['jbd2', 'mbcache', 'crc16', 'crc32c_generic']);
    assert.deepEqual(dependenciesOf(parseModinfo(fakeModule('depends=\0name=crc16\0'))), []);
  });

  test('modules.builtin lists names, not paths', () => {
    assert.ok(parseModulesBuiltin('kernel/drivers/tty/serial/8250/8250.ko\nkernel/fs/proc.ko\n').has('8250'));
  });
});
