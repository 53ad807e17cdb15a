// The outbound network plan: pasta's argv (nothing forwarded unless named, host loopback off
// unless asked), the steps around the runtime, and the runtimes' use of the namespace.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { outboundNetwork, pastaArgs } from '../../../engine/net/pasta';
import { networkCheck } from '../../../engine/net/stack';
import { runscDriver, runscGlobalArgs } from '../../../engine/drivers/runsc';
import { buildOciConfig } from '../../../engine/oci/config';
import { parsePort } from '../../../engine/spec/ports';
import type { PortSpec } from '../../../engine/spec/types';
import { host, spec } from '../engine/helpers';

const port = (s: string) => parsePort(s) as PortSpec;
const after = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));

describe('pasta argv', () => {
  test('no ports: every forwarding direction is none, gateway not mapped to the host', () => {
    const a = pastaArgs({ netns: '/r/netns', pidFile: '/r/pasta.pid', ports: [], hostLoopback: false });
    for (const f of ['--tcp-ports', '--udp-ports', '--tcp-ns', '--udp-ns']) assert.deepEqual(after(a, f), ['none'], f);
    assert.ok(a.includes('--no-map-gw'));
    assert.deepEqual(after(a, '--netns'), ['/r/netns']);
    assert.deepEqual(after(a, '--pid'), ['/r/pasta.pid']);
    assert.ok(a.includes('--config-net'));
    assert.deepEqual(after(a, '--gateway'), ['10.0.2.2']);
  });
  test('ports become address/host:sandbox per protocol; hostLoopback keeps the gateway mapping', () => {
    const a = pastaArgs({ netns: '/n', pidFile: '/p', ports: [port('8080:80'), port('0.0.0.0:9090:90'), port('127.0.0.1:5353:53/udp')], hostLoopback: true });
    assert.deepEqual(after(a, '--tcp-ports'), ['127.0.0.1/8080:80', '0.0.0.0/9090:90']);
    assert.deepEqual(after(a, '--udp-ports'), ['127.0.0.1/5353:53']);
    assert.deepEqual(after(a, '--tcp-ns'), ['none']);
    assert.equal(a.includes('--no-map-gw'), false);
  });
  test('steps: namespace then pasta; cleanup kills pasta by its pid file and unmounts', () => {
    const n = outboundNetwork({ runDir: '/run/s', pasta: '/usr/bin/pasta', ports: [port('8080:80')], hostLoopback: false });
    assert.equal(n.netns, '/run/s/netns');
    assert.deepEqual(n.before[0], { command: 'unshare', args: ['--net=/run/s/netns', 'true'] });
    assert.equal(n.before[1].command, '/usr/bin/pasta');
    assert.deepEqual(n.cleanup.map((c) => [c.command, ...c.args]), [
      ['pkill', '--pidfile', '/run/s/pasta.pid', '^pas(ta|st)'],
      ['umount', '--lazy', '/run/s/netns'],
    ]);
    assert.deepEqual(n.ports, ['127.0.0.1:8080->80/tcp']);
    assert.match(n.describe, /host loopback not reachable/);
  });
});

describe('stack choice (doctor)', () => {
  test('pasta as root is used; without pasta the fix is apt-get install passt', () => {
    assert.equal(networkCheck(host({ binaries: { pasta: { path: '/usr/bin/pasta' } } })).ok, true);
    const none = networkCheck(host({ binaries: { slirp4netns: { path: '/usr/bin/slirp4netns' } } }));
    assert.equal(none.ok, false);
    assert.equal(none.fix, 'apt-get install passt');
    assert.match(none.detail, /slirp4netns is installed/);
    assert.equal(networkCheck(host({ isRoot: false, uid: 1000, binaries: { pasta: { path: '/usr/bin/pasta' } } })).ok, false);
  });
});

describe('runtimes in the namespace', () => {
  test('the OCI config joins the namespace file instead of a new empty namespace', () => {
    const withNs = buildOciConfig(spec({ network: 'outbound' }), { rootfs: '/r', netns: '/run/s/netns' });
    assert.deepEqual(withNs.linux.namespaces.find((n) => n.type === 'network'), { type: 'network', path: '/run/s/netns' });
    const without = buildOciConfig(spec(), { rootfs: '/r' });
    assert.deepEqual(without.linux.namespaces.find((n) => n.type === 'network'), { type: 'network' });
  });
  test('runsc: outbound uses the namespace through --network=host; none stays none', () => {
    assert.ok(runscGlobalArgs({ runDir: '/r', platform: 'ptrace', network: 'outbound', rootless: false, ociSeccomp: true }).includes('--network=host'));
    assert.ok(runscGlobalArgs({ runDir: '/r', platform: 'ptrace', network: 'none', rootless: false, ociSeccomp: true }).includes('--network=none'));
  });
  test('runsc exec under nsenter runs runsc itself, with its global flags', () => {
    const global = runscGlobalArgs({ runDir: '/r', platform: 'ptrace', network: 'outbound', rootless: false, ociSeccomp: true });
    const plan = { process: { command: 'nsenter', args: ['--net=/r/netns', '--', '/usr/bin/runsc', ...global, 'run', '--bundle', '/b', 'a'] }, readiness: { kind: 'spawn' as const }, stop: [], cleanup: [], network: 'outbound' };
    const p = runscDriver.exec!({ id: 'a', dir: '/d', runDir: '/r', plan }, ['ls']);
    assert.equal(p.command, '/usr/bin/runsc');
    assert.deepEqual(p.args, [...global, 'exec', 'a', 'ls']);
  });
});
