// The host end of the guest agent: one request over the agent's Unix socket, as a process-like
// object (stdin, stdout, stderr, exit) so `exec` and `cp` treat a VM like a container.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { PassThrough, Writable, type Readable } from 'node:stream';
import { EngineError } from '../errors';
import { AgentDecoder, encodeRequest, encodeStdin, KILL, resize, STDIN_END, type AgentRequest } from './agent-protocol';

export interface SandboxProcess {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** The command's exit code; rejects when the agent can't be reached or goes away. */
  exit: Promise<number>;
  kill(): void;
  /** A terminal's new size (a tty request only). */
  resize?(rows: number, cols: number): void;
}

/** How long a guest (under TCG on a busy host) may take to accept a request. */
const GIVE_UP_MS = 60_000;
const SIGKILL_EXIT = 128 + 9;

export type AgentExecRequest = Omit<AgentRequest, 'nonce'> & {
  /** Kill the command after this long; its exit then rejects, naming the limit. */
  timeoutMs?: number;
};

export function agentExec(socket: string, req: AgentExecRequest): SandboxProcess {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const nonce = randomBytes(16).toString('hex');
  const { timeoutMs, ...wire } = req;
  // Encoded before connecting: a bad request throws here, to the caller, with nothing started.
  const request = encodeRequest({ nonce, ...wire });
  const decoder = new AgentDecoder(nonce);
  const sock = net.connect(socket);
  // Queued now, so it goes before any stdin frame; QEMU holds host data on the socket until the
  // guest opens its port, so an agent still starting gets it later.
  sock.write(request);
  let done = false;
  let killed = false;
  const timers: NodeJS.Timeout[] = [];
  const exit = new Promise<number>((resolve, reject) => {
    const finish = (err?: EngineError, code?: number) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      // destroy, not end: QEMU never closes its side, and a half-open socket keeps a CLI alive.
      sock.destroy();
      stdout.end();
      stderr.end();
      if (err) reject(err);
      else resolve(code ?? 1);
    };
    const fail = (msg: string) => finish(new EngineError(msg, [], 'is the VM still running? `spectrum logs` shows its console'));
    sock.on('connect', () => {
      timers.push(setTimeout(() => fail(`the guest agent did not answer within ${GIVE_UP_MS / 1000} s`), GIVE_UP_MS));
    });
    sock.on('data', (chunk: Buffer) => {
      for (const e of decoder.push(chunk)) {
        if (e.kind === 'started') {
          clearTimeout(timers.shift());
          if (timeoutMs)
            timers.push(
              setTimeout(() => {
                sock.end(KILL);
                finish(new EngineError(`the command ran past ${timeoutMs / 1000} s and was killed`));
              }, timeoutMs),
            );
        } else if (e.kind === 'stdout') stdout.write(e.data);
        else if (e.kind === 'stderr') stderr.write(e.data);
        else if (e.kind === 'refused') stderr.write(`${e.message}\n`);
        else if (e.kind === 'garbage') fail(e.reason);
        else finish(undefined, e.code);
      }
    });
    sock.on('error', (err) => fail(`cannot reach the guest agent: ${err.message}`));
    sock.on('close', () => (killed ? finish(undefined, SIGKILL_EXIT) : fail('the guest agent went away before the command ended')));
  });
  const stdin = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (done) return cb();
      // Frames go in order after the request: the guest hands them to this command. Back-pressure
      // through the socket (and QEMU's port) keeps a large copy from piling up in memory.
      if (sock.write(encodeStdin(chunk))) cb();
      else sock.once('drain', () => cb());
    },
    final(cb) {
      if (!done) sock.write(STDIN_END);
      cb();
    },
  });
  return {
    stdin,
    stdout,
    stderr,
    exit,
    kill() {
      if (done) return;
      killed = true;
      // K, then the connection's end: the agent kills the command's whole group on either.
      sock.end(KILL);
    },
    resize(rows, cols) {
      if (!done && req.tty) sock.write(resize(rows, cols));
    },
  };
}

/**
 * Sets or steps the guest's clock and feeds its random pool, reseeding the kernel's crng at once
 * (a VM restored from a snapshot). One request, no process started in the guest.
 */
export async function agentControl(socket: string, c: { setTimeMs?: number; stepClockMs?: number; seed?: Buffer }): Promise<void> {
  if (c.setTimeMs === undefined && c.stepClockMs === undefined && c.seed === undefined) return;
  const p = agentExec(socket, { argv: [], ...c, timeoutMs: 30_000 });
  let message = '';
  p.stderr.setEncoding('utf8').on('data', (s: string) => (message += s));
  p.stdout.resume();
  p.stdin.end();
  const code = await p.exit;
  if (code !== 0) throw new EngineError(`the guest agent could not ${c.seed ? 'reseed' : 'set the clock'}: ${message.trim() || `exit ${code}`}`);
}

export interface AgentRunOptions {
  /** Hand the command the caller's stdio. */
  inherit: boolean;
  /** Give it a terminal: the caller's (raw mode), sized and resized like it. */
  tty?: boolean;
  timeoutMs?: number;
}

/** Runs a command through the agent to its end, its output collected (exec with stdio: pipe). */
export async function agentRun(socket: string, argv: string[], o: AgentRunOptions): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const term = o.tty ? terminalOf(process.stdin, process.stdout) : undefined;
  const p = agentExec(socket, {
    argv,
    ...(term ? { tty: term.size(), env: { TERM: process.env.TERM || 'xterm-256color' } } : {}),
    timeoutMs: o.timeoutMs,
  });
  let stdout = '';
  let stderr = '';
  if (o.inherit) {
    p.stdout.pipe(process.stdout, { end: false });
    p.stderr.pipe(process.stderr, { end: false });
  } else {
    p.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    p.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  }
  // A terminal on stdin is read only for a tty request: otherwise it would wait for typing the
  // command may never ask for.
  const piped = o.inherit && (term !== undefined || !process.stdin.isTTY);
  const onResize = () => {
    const s = term?.size();
    if (s) p.resize?.(s.rows, s.cols);
  };
  if (term) {
    term.raw(true);
    process.stdout.on('resize', onResize);
  }
  if (piped) process.stdin.pipe(p.stdin);
  else p.stdin.end();
  try {
    return { exitCode: await p.exit, stdout, stderr };
  } finally {
    if (term) {
      process.stdout.off('resize', onResize);
      term.raw(false);
    }
    // A piped stdin left open would keep the CLI alive after the command ended.
    if (piped) {
      process.stdin.unpipe(p.stdin);
      process.stdin.destroy();
    }
  }
}

/** The caller's terminal: its size, and raw mode so every key goes to the guest as typed. */
function terminalOf(input: NodeJS.ReadStream, output: NodeJS.WriteStream): { size(): { rows: number; cols: number }; raw(on: boolean): void } {
  if (!input.isTTY) throw new EngineError('exec with a tty needs a terminal on stdin', [], 'run it in a terminal, or drop -t');
  return {
    size: () => ({ rows: output.isTTY ? output.rows : 24, cols: output.isTTY ? output.columns : 80 }),
    raw: (on) => input.setRawMode(on),
  };
}
