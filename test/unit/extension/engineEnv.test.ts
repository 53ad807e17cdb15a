import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultConfig } from './defaults';
import { engineEnv } from '../../../extension/engineEnv';

describe('engineEnv', () => {
  test('defaults leave the environment as it is', () => {
    const base = { PATH: '/usr/bin:/bin', HOME: '/home/u' };
    assert.deepEqual(engineEnv(defaultConfig(), base), base);
  });

  test('configured runtimes go first on PATH, once per folder', () => {
    const c = defaultConfig();
    c.runtimePaths.runc = '/opt/rt/bin/runc';
    c.runtimePaths.runsc = '/opt/rt/bin/runsc';
    c.runtimePaths.qemu = '/opt/qemu/bin/qemu-system-x86_64';
    const env = engineEnv(c, { PATH: '/usr/bin' });
    assert.equal(env.PATH, '/opt/rt/bin:/opt/qemu/bin:/usr/bin');
  });

  test('relative runtime paths are ignored (they would resolve against an unknown folder)', () => {
    const c = defaultConfig();
    c.runtimePaths.runc = 'bin/runc';
    assert.equal(engineEnv(c, { PATH: '/usr/bin' }).PATH, '/usr/bin');
  });

  test('workerd, kernel and state folder map to their variables', () => {
    const c = defaultConfig();
    c.runtimePaths.workerd = '/opt/workerd';
    c.kernelPath = '/boot/vmlinux';
    c.stateDirectory = '/var/lib/spectrum';
    const env = engineEnv(c, {});
    assert.equal(env.SPECTRUM_WORKERD, '/opt/workerd');
    assert.equal(env.SPECTRUM_KERNEL, '/boot/vmlinux');
    assert.equal(env.XDG_STATE_HOME, '/var/lib/spectrum');
  });
});
