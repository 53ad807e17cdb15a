// The guest agent's wire format (engine/vm/agent/agent.c is the guest end), on a virtio-serial
// port named `spectrum.agent` (a Unix socket in the sandbox's runDir on the host). Not the serial
// console: that carries the workload's output.
//
// Frames both ways: a type byte, a 4-byte big-endian payload length, the payload (raw bytes).
// Each host connection opens with the fixed HELLO frame: the agent drops whatever it was doing
// for an earlier client and, until it sees a HELLO, discards bytes, so a client that died
// mid-frame can't desynchronise the next. The host numbers each request with a fresh nonce and
// ignores every byte until the guest's `R <nonce>` frame, so the tail of an abandoned request can
// never be taken for a new one's output. The host trusts nothing it reads: unknown types and
// oversized frames end the request with an error.
//
//   host -> guest                                 guest -> host
//   H "spectrum-agent/1"  new session             R <nonce>       request accepted, started
//   N <nonce>             start a request         O <bytes>       stdout (a terminal's output)
//   A <word>              one argv word (1..n)    F <bytes>       stderr
//   E NAME=value          one env entry           ! <text>        refused (then X)
//   C <path>              working directory       X <int32>       exit code (signal: 128+n)
//   T <rows:u16 cols:u16> run it on a terminal
//   S <ms:u64>            set the guest's clock (wall time, ms since the epoch)
//   D <ms:i64>            step the guest's clock by this much (read and set in the guest)
//   Y <bytes>             add bytes to the guest kernel's random pool (credited entropy),
//                         then reseed its crng from the pool at once
//   G                     go: run it (no A: apply S/D/Y only, then X 0)
//   I <bytes>             stdin
//   Z                     end of stdin (ignored on a terminal)
//   W <rows:u16 cols:u16> the terminal's new size
//   K                     kill the command's process group

export const AGENT_PORT_NAME = 'spectrum.agent';
export const HELLO_TEXT = 'spectrum-agent/1';
/** Largest payload either side sends: the guest's cap on a host frame. */
export const MAX_FRAME = 1 << 20;
/** Stdin goes in frames of this size (the guest's own output frames are 64 KiB too). */
export const STDIN_CHUNK = 64 * 1024;
/** Seed bytes per request (the guest's cap). */
export const MAX_SEED = 4096;

export interface AgentRequest {
  nonce: string;
  /** Empty only for a control request (clock, seed). */
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Run on a terminal of this size. */
  tty?: { rows: number; cols: number };
  /** Set the guest's wall clock (ms since the epoch). */
  setTimeMs?: number;
  /** Step the guest's clock by this many ms (a VM that stood still while saved). */
  stepClockMs?: number;
  /** Feed the guest's random pool. */
  seed?: Buffer;
}

export function frame(type: string, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const p = typeof payload === 'string' ? Buffer.from(payload) : payload;
  if (p.length > MAX_FRAME) throw new Error(`an agent frame holds at most ${MAX_FRAME} bytes`);
  const h = Buffer.alloc(5);
  h.write(type, 0, 'latin1');
  h.writeUInt32BE(p.length, 1);
  return Buffer.concat([h, p]);
}

const size = (rows: number, cols: number): Buffer => {
  if (![rows, cols].every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff)) throw new Error('terminal size out of range');
  const b = Buffer.alloc(4);
  b.writeUInt16BE(rows, 0);
  b.writeUInt16BE(cols, 2);
  return b;
};

export const HELLO = frame('H', HELLO_TEXT);

export function encodeRequest(r: AgentRequest): Buffer {
  if (!/^[0-9a-f]{8,64}$/.test(r.nonce)) throw new Error('agent nonce must be 8-64 hex digits');
  const control = r.setTimeMs !== undefined || r.stepClockMs !== undefined || r.seed !== undefined;
  if (r.argv.length === 0 && !control) throw new Error('exec needs a command');
  if (r.argv.length > 4096) throw new Error('at most 4096 command words');
  for (const w of r.argv) if (w.includes('\0')) throw new Error('a command word holds a NUL byte');
  const parts = [HELLO, frame('N', r.nonce), ...r.argv.map((w) => frame('A', w))];
  for (const [k, v] of Object.entries(r.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name: ${k}`);
    if (v.includes('\0')) throw new Error(`environment variable ${k} holds a NUL byte`);
    parts.push(frame('E', `${k}=${v}`));
  }
  if (r.cwd !== undefined) {
    if (r.cwd.includes('\0')) throw new Error('the working directory holds a NUL byte');
    parts.push(frame('C', r.cwd));
  }
  if (r.tty) parts.push(frame('T', size(r.tty.rows, r.tty.cols)));
  if (r.setTimeMs !== undefined) {
    if (!Number.isSafeInteger(r.setTimeMs) || r.setTimeMs < 0) throw new Error('the clock must be a whole number of ms since the epoch');
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(r.setTimeMs));
    parts.push(frame('S', b));
  }
  if (r.stepClockMs !== undefined) {
    if (!Number.isSafeInteger(r.stepClockMs) || Math.abs(r.stepClockMs) > 100 * 365 * 86_400_000) throw new Error('a clock step must be a whole number of ms within a century');
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(r.stepClockMs));
    parts.push(frame('D', b));
  }
  if (r.seed !== undefined) {
    if (r.seed.length === 0 || r.seed.length > MAX_SEED) throw new Error(`a seed is 1 to ${MAX_SEED} bytes`);
    parts.push(frame('Y', r.seed));
  }
  parts.push(frame('G'));
  return Buffer.concat(parts);
}

/** Stdin for the running command, in frames the guest takes whole. */
export function encodeStdin(chunk: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < chunk.length; i += STDIN_CHUNK) parts.push(frame('I', chunk.subarray(i, i + STDIN_CHUNK)));
  return Buffer.concat(parts);
}

export const STDIN_END = frame('Z');
export const KILL = frame('K');
export const resize = (rows: number, cols: number): Buffer => frame('W', size(rows, cols));

export type AgentEvent =
  | { kind: 'started' }
  | { kind: 'stdout'; data: Buffer }
  | { kind: 'stderr'; data: Buffer }
  | { kind: 'refused'; message: string }
  | { kind: 'exit'; code: number }
  /** The stream broke the protocol: the request can't go on. */
  | { kind: 'garbage'; reason: string };

/** Largest frame the guest sends (64 KiB output chunks; a refusal is a line). */
const MAX_GUEST_FRAME = 64 * 1024;

/**
 * Splits the guest's byte stream into the events of one request. Bytes before its own `R` frame
 * are stale (an earlier request's tail, or noise) and dropped without being parsed; after it,
 * anything that is not a well-formed frame ends the request with a `garbage` event.
 */
export class AgentDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private started = false;
  private finished = false;
  private readonly marker: Buffer;

  constructor(nonce: string) {
    this.marker = frame('R', nonce);
  }

  push(chunk: Buffer): AgentEvent[] {
    if (this.finished) return [];
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const events: AgentEvent[] = [];
    if (!this.started) {
      const at = this.buf.indexOf(this.marker);
      if (at < 0) {
        // Keep only what could be the start of a marker split across chunks.
        this.buf = this.buf.subarray(Math.max(0, this.buf.length - this.marker.length + 1));
        return events;
      }
      this.started = true;
      this.buf = this.buf.subarray(at + this.marker.length);
      events.push({ kind: 'started' });
    }
    let off = 0;
    while (!this.finished && this.buf.length - off >= 5) {
      const type = String.fromCharCode(this.buf[off]);
      const n = this.buf.readUInt32BE(off + 1);
      const bad = !'OF!X'.includes(type) ? `an unknown frame type ${JSON.stringify(type)}` : n > MAX_GUEST_FRAME ? `a ${n}-byte frame` : type === 'X' && n !== 4 ? 'a malformed exit frame' : undefined;
      if (bad) {
        this.finished = true;
        events.push({ kind: 'garbage', reason: `the guest agent sent ${bad}` });
        break;
      }
      if (this.buf.length - off < 5 + n) break;
      const p = this.buf.subarray(off + 5, off + 5 + n);
      off += 5 + n;
      if (type === 'O') events.push({ kind: 'stdout', data: Buffer.from(p) });
      else if (type === 'F') events.push({ kind: 'stderr', data: Buffer.from(p) });
      else if (type === '!') events.push({ kind: 'refused', message: p.toString('utf8') });
      else {
        this.finished = true;
        events.push({ kind: 'exit', code: p.readInt32BE(0) });
      }
    }
    this.buf = this.finished ? Buffer.alloc(0) : Buffer.from(this.buf.subarray(off));
    return events;
  }
}
