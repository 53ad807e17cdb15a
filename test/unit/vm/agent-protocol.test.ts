import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentDecoder, encodeRequest, encodeStdin, frame, HELLO, MAX_FRAME, resize, type AgentEvent } from '../../../engine/vm/agent-protocol';
import { renderInit } from '../../../engine/vm/init-script';
import { buildQemuArgs } from '../../../engine/vm/qemu-args';
import { rng } from '../../helpers/rng';

const NONCE = 'abcdef0123456789abcdef0123456789';

/** Splits a buffer into frames (type, payload), as the guest reads them. */
function frames(b: Buffer): [string, string][] {
  const out: [string, string][] = [];
  for (let off = 0; off < b.length; ) {
    const n = b.readUInt32BE(off + 1);
    out.push([String.fromCharCode(b[off]), b.subarray(off + 5, off + 5 + n).toString('latin1')]);
    off += 5 + n;
  }
  return out;
}

const exitFrame = (code: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(code);
  return frame('X', b);
};

describe('guest agent frames', () => {
  test('a request opens with HELLO and sends each word raw, so no byte of it can forge a frame', () => {
    const evil = 'echo a\nX\x01\x01\x01\x01H\x01';
    const req = encodeRequest({ nonce: NONCE, argv: ['sh', '-c', evil], env: { A: 'x y' }, cwd: '/tmp', tty: { rows: 40, cols: 120 } });
    assert.deepEqual(req.subarray(0, HELLO.length), HELLO);
    assert.deepEqual(frames(req), [
      ['H', 'spectrum-agent/1'],
      ['N', NONCE],
      ['A', 'sh'],
      ['A', '-c'],
      ['A', evil],
      ['E', 'A=x y'],
      ['C', '/tmp'],
      ['T', '\x00\x28\x00\x78'],
      ['G', ''],
    ]);
  });

  test('bad requests throw before anything is sent', () => {
    assert.throws(() => encodeRequest({ nonce: 'zz', argv: ['x'] }), /nonce/);
    assert.throws(() => encodeRequest({ nonce: NONCE, argv: [] }), /needs a command/);
    assert.throws(() => encodeRequest({ nonce: NONCE, argv: ['x'], env: { 'A=B': '1' } }), /invalid environment/);
    assert.throws(() => encodeRequest({ nonce: NONCE, argv: ['a\0b'] }), /NUL/);
    assert.throws(() => encodeRequest({ nonce: NONCE, argv: ['x'], cwd: '/a\0' }), /NUL/);
    assert.throws(() => encodeRequest({ nonce: NONCE, argv: ['x'], tty: { rows: 70000, cols: 1 } }), /terminal size/);
    assert.throws(() => encodeRequest({ nonce: NONCE, argv: [], seed: Buffer.alloc(5000) }), /seed/);
    assert.throws(() => encodeRequest({ nonce: NONCE, argv: [], setTimeMs: -1 }), /clock/);
    assert.throws(() => frame('A', Buffer.alloc(MAX_FRAME + 1)), /at most/);
  });

  test('a control request carries the clock (set or stepped) and the seed and no command', () => {
    const f = frames(encodeRequest({ nonce: NONCE, argv: [], setTimeMs: 1_700_000_000_123, stepClockMs: -1500, seed: Buffer.from('seed') }));
    assert.deepEqual(
      f.map(([t]) => t),
      ['H', 'N', 'S', 'D', 'Y', 'G'],
    );
    assert.equal(Buffer.from(f[2][1], 'latin1').readBigUInt64BE(), 1_700_000_000_123n);
    assert.equal(Buffer.from(f[3][1], 'latin1').readBigInt64BE(), -1500n);
    assert.throws(() => encodeRequest({ nonce: NONCE, argv: [], stepClockMs: 0.5 }), /clock step/);
  });

  test('stdin is cut into 64 KiB frames; a resize is rows then cols', () => {
    const f = frames(encodeStdin(Buffer.alloc(150_000, 1)));
    assert.deepEqual(
      f.map(([t, p]) => [t, p.length]),
      [['I', 65536], ['I', 65536], ['I', 18928]],
    );
    assert.deepEqual(frames(resize(24, 80)), [['W', '\x00\x18\x00\x50']]);
  });
});

describe('the host decodes what the guest sends', () => {
  test('everything before its own R is dropped, and frames split across chunks, byte by byte', () => {
    const stream = Buffer.concat([frame('O', 'stale'), exitFrame(0), frame('R', 'n0n0n0n0n0'), frame('R', NONCE), frame('O', 'out'), frame('F', 'err'), frame('!', 'no such cwd'), exitFrame(-3), frame('O', 'after the end')]);
    const d = new AgentDecoder(NONCE);
    const ev: AgentEvent[] = [];
    for (const byte of stream) ev.push(...d.push(Buffer.from([byte])));
    assert.deepEqual(ev, [
      { kind: 'started' },
      { kind: 'stdout', data: Buffer.from('out') },
      { kind: 'stderr', data: Buffer.from('err') },
      { kind: 'refused', message: 'no such cwd' },
      { kind: 'exit', code: -3 },
    ]);
  });

  test('after R, an unknown type, an oversized frame or a bad exit frame end the request', () => {
    for (const [bad, reason] of [
      [Buffer.from('Q\0\0\0\0'), /unknown frame type "Q"/],
      [Buffer.from([0x4f, 0xff, 0xff, 0xff, 0xff]), /4294967295-byte frame/],
      [frame('X', 'ab'), /malformed exit/],
    ] as const) {
      const d = new AgentDecoder(NONCE);
      const ev = d.push(Buffer.concat([frame('R', NONCE), frame('O', 'x'), bad, exitFrame(0)]));
      assert.equal(ev.length, 3);
      assert.equal(ev[2].kind, 'garbage');
      assert.match((ev[2] as { reason: string }).reason, reason);
      // Nothing more is taken from a broken stream.
      assert.deepEqual(d.push(exitFrame(0)), []);
    }
  });

  test('garbage of any shape never throws, never grows the buffer before R, and never starts a request', () => {
    const rnd = rng(16);
    for (let round = 0; round < 300; round++) {
      const d = new AgentDecoder(NONCE);
      let events = 0;
      for (let i = 0; i < 20; i++) {
        const len = Math.floor(rnd() * 5000);
        const chunk = Buffer.alloc(len);
        for (let j = 0; j < len; j++) chunk[j] = Math.floor(rnd() * 256);
        events += d.push(chunk).length;
      }
      assert.equal(events, 0);
      assert.ok((d as unknown as { buf: Buffer }).buf.length < 5 + NONCE.length);
    }
    // Random frames after a genuine R: decoded or refused, never an exception.
    for (let round = 0; round < 300; round++) {
      const d = new AgentDecoder(NONCE);
      const parts = [frame('R', NONCE)];
      for (let i = 0; i < 10; i++) {
        const b = Buffer.alloc(Math.floor(rnd() * 64));
        for (let j = 0; j < b.length; j++) b[j] = Math.floor(rnd() * 256);
        parts.push(rnd() < 0.5 ? frame('OF!X'[Math.floor(rnd() * 4)], b) : b);
      }
      const ev = d.push(Buffer.concat(parts));
      assert.equal(ev[0].kind, 'started');
      assert.ok(ev.slice(1).every((e) => ['stdout', 'stderr', 'refused', 'exit', 'garbage'].includes(e.kind)));
      assert.ok(ev.filter((e) => e.kind === 'exit' || e.kind === 'garbage').length <= 1);
    }
  });
});

describe('guest agent wiring', () => {
  test('/init starts the compiled agent before the command, with no spec env yet, chrooting commands into an image', () => {
    const init = renderInit({ nonce: 'ab'.repeat(12), command: ['true'], env: { SECRET: 's' }, modules: [], drives: [], shares: [], network: 'none', agent: true });
    const start = init.indexOf('/sbin/spectrum-agent </dev/null');
    assert.ok(start > 0);
    assert.ok(start < init.indexOf('export SECRET='));
    const chrooted = renderInit({ nonce: 'ab'.repeat(12), command: ['true'], env: {}, modules: [], drives: [], shares: [], network: 'none', agent: true, chroot: "/mnt/it's" });
    assert.ok(chrooted.includes(`/sbin/spectrum-agent --root '/mnt/it'\\''s' </dev/null`));
  });
  test('QEMU gets a virtio-serial port named spectrum.agent on a socket', () => {
    const base = { accel: 'tcg' as const, kernel: 'k', append: [], cpus: 1, memoryMiB: 256, drives: [], shares: [], network: 'none' as const, serial: { kind: 'stdio' as const }, vfio: [], agentSocket: '/run/x/agent.sock' };
    const micro = buildQemuArgs({ ...base, machine: 'microvm' }).join(' ');
    assert.match(micro, /-device virtio-serial-device,id=vser0,max_ports=2 -chardev socket,id=agent0,path=\/run\/x\/agent.sock,server=on,wait=off -device virtserialport,bus=vser0.0,chardev=agent0,name=spectrum.agent/);
    assert.match(buildQemuArgs({ ...base, machine: 'q35' }).join(' '), /virtio-serial-pci,id=vser0/);
    assert.throws(() => buildQemuArgs({ ...base, machine: 'microvm', agentSocket: '/a,b' }), /comma/);
  });
});
