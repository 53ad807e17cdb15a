// The guest agent's wire format, on a virtio-serial port (`spectrum.agent`, a Unix socket in the
// sandbox's runDir on the host). Not the serial console: that carries the workload's output.
//
// Framing: one frame per line, `TAG[ ARG]\n`, ASCII only. Payloads (argv words, env entries,
// paths, output bytes) travel base64-encoded, so no payload byte can end or forge a frame, and
// the guest side needs nothing beyond busybox (`read -r`, `base64`). One exec at a time per
// connection; the host numbers each exec with a fresh nonce and ignores every frame until the
// guest echoes it, so the tail of an abandoned exec can never be taken for a new one's output.
//
//   host -> guest                         guest -> host
//   N <nonce>     start a request         R <nonce>        request accepted, command started
//   A <b64>       one argv word (1..n)    O <b64>          a chunk of stdout
//   E <b64>       one NAME=value          F <b64>          a chunk of stderr
//   C <b64>       working directory       X <nonce> <code> exited with code (signal: 128+n)
//   G             go (run it)             ! <b64>          refused (e.g. no such cwd), then X
//   I <b64>       a chunk of stdin
//   Z             stdin ended
//   K             kill the running command
//
// A word that ends in newlines loses them inside the guest (the shell's command substitution
// strips them); every other byte, NUL aside, arrives as sent.

export interface AgentRequest {
  nonce: string;
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

export function encodeRequest(r: AgentRequest): string {
  if (!/^[0-9a-f]{8,64}$/.test(r.nonce)) throw new Error('agent nonce must be 8-64 hex digits');
  if (r.argv.length === 0) throw new Error('exec needs a command');
  for (const w of r.argv) if (w.includes('\0')) throw new Error('a command word holds a NUL byte');
  const lines = [`N ${r.nonce}`, ...r.argv.map((w) => `A ${b64(w)}`)];
  for (const [k, v] of Object.entries(r.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name: ${k}`);
    lines.push(`E ${b64(`${k}=${v}`)}`);
  }
  if (r.cwd) lines.push(`C ${b64(r.cwd)}`);
  lines.push('G');
  return lines.join('\n') + '\n';
}

/** Stdin for the running command, in frames small enough for one write on the port. */
export function encodeStdin(chunk: Buffer): string {
  let out = '';
  for (let i = 0; i < chunk.length; i += 3 * 1024) out += `I ${b64(chunk.subarray(i, i + 3 * 1024))}\n`;
  return out;
}

export const STDIN_END = 'Z\n';
export const KILL = 'K\n';

export type AgentEvent =
  | { kind: 'started' }
  | { kind: 'stdout'; data: Buffer }
  | { kind: 'stderr'; data: Buffer }
  | { kind: 'refused'; message: string }
  | { kind: 'exit'; code: number };

/** Splits the guest's byte stream into events of one request; frames before its `R` are stale. */
export class AgentDecoder {
  private buf = '';
  private started = false;

  constructor(private readonly nonce: string) {}

  push(chunk: Buffer | string): AgentEvent[] {
    this.buf += typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    const events: AgentEvent[] = [];
    for (let nl = this.buf.indexOf('\n'); nl >= 0; nl = this.buf.indexOf('\n')) {
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      const e = this.frame(line);
      if (e) events.push(e);
    }
    return events;
  }

  private frame(line: string): AgentEvent | undefined {
    const sp = line.indexOf(' ');
    const tag = sp < 0 ? line : line.slice(0, sp);
    const arg = sp < 0 ? '' : line.slice(sp + 1);
    if (tag === 'R') {
      if (arg !== this.nonce) return undefined;
      this.started = true;
      return { kind: 'started' };
    }
    if (!this.started) return undefined;
    switch (tag) {
      case 'O':
        return { kind: 'stdout', data: Buffer.from(arg, 'base64') };
      case 'F':
        return { kind: 'stderr', data: Buffer.from(arg, 'base64') };
      case '!':
        return { kind: 'refused', message: Buffer.from(arg, 'base64').toString('utf8') };
      case 'X': {
        const [n, code] = arg.split(' ');
        if (n !== this.nonce || !/^\d+$/.test(code ?? '')) return undefined;
        return { kind: 'exit', code: Number(code) };
      }
      default:
        return undefined;
    }
  }
}
