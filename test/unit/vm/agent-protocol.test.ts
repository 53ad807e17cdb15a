import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentDecoder, encodeRequest, encodeStdin } from '../../../engine/vm/agent-protocol';
import { agentScript } from '../../../engine/vm/agent-script';
import { renderInit } from '../../../engine/vm/init-script';
import { buildQemuArgs } from '../../../engine/vm/qemu-args';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('guest agent frames', () => {
  test('a request is one line per word, payloads base64 so no byte can forge a frame', () => {
    const text = encodeRequest({ nonce: 'abcdef0123456789', argv: ['sh', '-c', 'echo a\nX abcdef0123456789 0'], env: { A: 'x y' }, cwd: '/tmp' });
    assert.deepEqual(text.split('\n'), ['N abcdef0123456789', `A ${b64('sh')}`, `A ${b64('-c')}`, `A ${b64('echo a\nX abcdef0123456789 0')}`, `E ${b64('A=x y')}`, `C ${b64('/tmp')}`, 'G', '']);
    assert.throws(() => encodeRequest({ nonce: 'zz', argv: ['x'] }), /nonce/);
    assert.throws(() => encodeRequest({ nonce: 'abcdef0123456789', argv: [] }), /needs a command/);
    assert.throws(() => encodeRequest({ nonce: 'abcdef0123456789', argv: ['x'], env: { 'A=B': '1' } }), /invalid environment/);
  });
  test('stdin is cut into 3 KiB frames', () => {
    const frames = encodeStdin(Buffer.alloc(7000, 1)).trim().split('\n');
    assert.equal(frames.length, 3);
    assert.equal(Buffer.concat(frames.map((f) => Buffer.from(f.slice(2), 'base64'))).length, 7000);
  });
  test('the decoder ignores everything before its own R, and frames split across chunks', () => {
    const d = new AgentDecoder('n1n1n1n1');
    assert.deepEqual(d.push(`O ${b64('stale')}\nX n0n0n0n0 0\nR n0n0n0n0\n`), []);
    assert.deepEqual(d.push('R n1n1'), []);
    const ev = d.push(`n1n1\nO ${b64('out')}\nF ${b64('err')}\nX n0n0n0n0 9\nX n1n1n1n1 3\n`);
    assert.deepEqual(ev, [
      { kind: 'started' },
      { kind: 'stdout', data: Buffer.from('out') },
      { kind: 'stderr', data: Buffer.from('err') },
      { kind: 'exit', code: 3 },
    ]);
  });
});

describe('guest agent wiring', () => {
  test('/init writes the agent and starts it before the command, with no spec env yet', () => {
    const init = renderInit({ nonce: 'ab'.repeat(12), command: ['true'], env: { SECRET: 's' }, modules: [], drives: [], shares: [], network: 'none', agent: agentScript() });
    const start = init.indexOf('/sbin/spectrum-agent </dev/null');
    assert.ok(start > 0);
    assert.ok(start < init.indexOf('export SECRET='));
    assert.ok(init.includes("cat > /sbin/spectrum-agent <<'SPECTRUM_AGENT_EOF'\n#!/bin/sh\n"));
  });
  test('QEMU gets a virtio-serial port named spectrum.agent on a socket', () => {
    const base = { accel: 'tcg' as const, kernel: 'k', append: [], cpus: 1, memoryMiB: 256, drives: [], shares: [], network: 'none' as const, serial: { kind: 'stdio' as const }, vfio: [], agentSocket: '/run/x/agent.sock' };
    const micro = buildQemuArgs({ ...base, machine: 'microvm' }).join(' ');
    assert.match(micro, /-device virtio-serial-device,id=vser0,max_ports=2 -chardev socket,id=agent0,path=\/run\/x\/agent.sock,server=on,wait=off -device virtserialport,bus=vser0.0,chardev=agent0,name=spectrum.agent/);
    assert.match(buildQemuArgs({ ...base, machine: 'q35' }).join(' '), /virtio-serial-pci,id=vser0/);
    assert.throws(() => buildQemuArgs({ ...base, machine: 'microvm', agentSocket: '/a,b' }), /comma/);
  });
});
