import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleFilter, parseConsole } from '../../../engine/vm/console-output';

const N = '00112233445566778899aabb';
const LOG = `[    0.1] early noise\r\nSPECTRUM-START-${N}\r\nhello\r\nSPECTRUM-EXIT-ffffffffffffffffffffffff:0\r\nworld\r\n\r\nSPECTRUM-EXIT-${N}:42\r\n[    2.8] reboot: Power down\r\n`;

describe('guest console', () => {
  test('parses output and the exit code behind the nonce; a line with another nonce is just output', () => {
    const r = parseConsole(LOG, N);
    assert.equal(r.exitCode, 42);
    assert.equal(r.started, true);
    assert.equal(r.output, 'hello\nSPECTRUM-EXIT-ffffffffffffffffffffffff:0\nworld\n');
  });

  test('a guest that never started has no exit code; a panic is reported', () => {
    const r = parseConsole('[ 1.0] Kernel panic - not syncing: System is deadlocked on memory\r\n', N);
    assert.equal(r.exitCode, undefined);
    assert.equal(r.started, false);
    assert.match(r.panic ?? '', /deadlocked on memory/);
  });

  test('the streaming filter gives the same result however the chunks split', () => {
    for (const size of [1, 3, 7, 64, LOG.length]) {
      const f = new ConsoleFilter(N);
      let out = '';
      for (let i = 0; i < LOG.length; i += size) out += f.push(LOG.slice(i, i + size));
      out += f.flush();
      assert.equal(f.exitCode, 42, `chunk size ${size}`);
      assert.equal(f.started, true);
      assert.equal(out, '[    0.1] early noise\nhello\nSPECTRUM-EXIT-ffffffffffffffffffffffff:0\nworld\n', `chunk size ${size}`);
    }
  });

  test('the streaming filter notices a kernel panic', () => {
    const f = new ConsoleFilter(N);
    f.push('[    1.2] Kernel panic - not syncing: VFS: Unable to mount root fs\r\n');
    assert.equal(f.panic, 'Kernel panic - not syncing: VFS: Unable to mount root fs');
    assert.equal(f.exitCode, undefined);
  });

  test('output without a final newline keeps its text, and firmware junk before the start marker is cut', () => {
    const f = new ConsoleFilter(N);
    const out = f.push(`Booting from ROM..SPECTRUM-START-${N}\r\nno newline\r\nSPECTRUM-EXIT-${N}:0\r\n`) + f.flush();
    assert.equal(out, 'no newline\n');
    assert.equal(f.exitCode, 0);
  });
});
