import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runcRunArgs, runcDriver } from '../../../engine/drivers/runc';
import { pickPlatform, runscGlobalArgs, runscDriver } from '../../../engine/drivers/runsc';
import { workerdConfig, workerdDriver } from '../../../engine/drivers/workerd';
import { driverFor, DRIVERS } from '../../../engine/drivers/registry';
import { parseRunscFlags } from '../../../engine/host/parse';
import { EngineError } from '../../../engine/errors';
import { fixture, host, spec } from './helpers';

describe('runc driver', () => {
  test('run argv: own state root, bundle, id', () => {
    assert.deepEqual(runcRunArgs({ runDir: '/run/x', bundleDir: '/b', id: 'a-1', rootless: false }), ['--root', '/run/x/runc', 'run', '--bundle', '/b', '--no-new-keyring', 'a-1']);
    assert.deepEqual(runcRunArgs({ runDir: '/r', bundleDir: '/b', id: 'a', rootless: true }).slice(0, 4), ['--root', '/r/runc', '--rootless', 'true']);
  });
  test('exec reuses the global flags', () => {
    const plan = { process: { command: 'runc', args: runcRunArgs({ runDir: '/r', bundleDir: '/b', id: 'a', rootless: false }) }, readiness: { kind: 'spawn' as const }, stop: [], cleanup: [], network: 'none' };
    assert.deepEqual(runcDriver.exec!({ id: 'a', dir: '/d', runDir: '/r', plan }, ['ls', '/']), { command: 'runc', args: ['--root', '/r/runc', 'exec', 'a', 'ls', '/'] });
  });
  test('missing runtime gives the apt fix', () => {
    const s = runcDriver.isSupported(host({ binaries: {} }));
    assert.equal(s.ok, false);
    assert.equal(s.fix, 'apt-get install runc');
  });
});

describe('runsc driver', () => {
  test('auto picks systrap where it exists, else ptrace', () => {
    assert.equal(pickPlatform('auto', host({ runsc: { platforms: ['systrap', 'ptrace', 'kvm'], nvproxy: true, ociSeccomp: true } })), 'systrap');
    assert.equal(pickPlatform('auto', host()), 'ptrace');
    assert.throws(() => pickPlatform('systrap', host()), EngineError);
  });
  test('global args: own root, network none, oci-seccomp, rootless when not root', () => {
    assert.deepEqual(runscGlobalArgs({ runDir: '/r', platform: 'ptrace', network: 'none', rootless: false, ociSeccomp: true }), ['--root', '/r/runsc', '--network=none', '--platform=ptrace', '--oci-seccomp']);
    assert.ok(runscGlobalArgs({ runDir: '/r', platform: 'ptrace', network: 'none', rootless: true, ociSeccomp: true }).includes('--rootless'));
  });
  test('parses this runsc flag help (recorded): ptrace and kvm, no nvproxy', () => {
    assert.deepEqual(parseRunscFlags(fixture('runsc-20221219-flags.txt')), { platforms: ['ptrace', 'kvm'], nvproxy: false, ociSeccomp: true });
  });
  test('parses a newer help line with systrap', () => {
    const text = '  -nvproxy\n    \tEnables nvproxy\n  -platform string\n    \tspecifies which platform to use: systrap (default), ptrace, kvm. (default "systrap")\n';
    assert.deepEqual(parseRunscFlags(text).platforms, ['systrap', 'ptrace', 'kvm']);
    assert.equal(parseRunscFlags(text).nvproxy, true);
  });
  test('isSupported notes the platform', () => {
    assert.match(runscDriver.isSupported(host()).reason!, /ptrace/);
  });
});

describe('workerd driver', () => {
  test('config: embedded module, bindings, socket, outbound allows nothing by default', () => {
    const c = workerdConfig(spec({ isolation: 'isolate', env: { GREETING: 'hi "there"' }, compatibilityDate: '2025-01-01' }), { port: 4321, moduleName: 'edge.worker.js' });
    assert.match(c, /esModule = embed "edge\.worker\.js"/);
    assert.match(c, /address = "127\.0\.0\.1:4321"/);
    assert.match(c, /\(name = "GREETING", text = "hi \\"there\\""\)/);
    assert.match(c, /network = \(allow = \[\], deny = \[\]\)/);
    assert.match(c, /globalOutbound = "outbound"/);
    assert.match(c, /compatibilityDate = "2025-01-01"/);
  });
  test('outbound allows the public internet only', () => {
    const c = workerdConfig(spec({ isolation: 'isolate', network: 'outbound' }), { port: 1, moduleName: 'w.js' });
    assert.match(c, /allow = \["public"\]/);
  });
  test('handles isolates only', () => {
    assert.equal(workerdDriver.handles(spec({ isolation: 'isolate' }), host()), true);
    assert.equal(workerdDriver.handles(spec(), host()), false);
  });
});

describe('registry', () => {
  test('one driver per level here, picked by spec', () => {
    assert.equal(driverFor(spec(), host()).runtime, 'runc');
    assert.equal(driverFor(spec({ isolation: 'gvisor' }), host()).runtime, 'runsc');
    assert.equal(driverFor(spec({ isolation: 'isolate' }), host()).runtime, 'workerd');
    assert.ok(DRIVERS.length >= 3);
  });
  test('an unsupported runtime is an EngineError carrying the fix', () => {
    try {
      driverFor(spec({ isolation: 'gvisor' }), host({ binaries: { busybox: { path: '/b' } } }));
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(err instanceof EngineError);
      assert.match(err.message, /runsc \(gVisor\) is not installed/);
      assert.equal(err.fix, 'apt-get install runsc');
    }
  });
});
