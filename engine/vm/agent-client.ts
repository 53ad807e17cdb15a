// The host end of the guest agent: one exec over the agent's Unix socket, as a process-like
// object (stdin, stdout, stderr, exit) so `exec` and `cp` treat a VM like a container.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { PassThrough, Writable, type Readable } from 'node:stream';
import { EngineError } from '../errors';
import { AgentDecoder, encodeRequest, encodeStdin, KILL, STDIN_END } from './agent-protocol';

export interface SandboxProcess {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** The command's exit code; rejects when the agent can't be reached or goes away. */
  exit: Promise<number>;
  kill(): void;
}

/** How long a guest (under TCG on a busy host) may take to accept a request. */
const GIVE_UP_MS = 60_000;

export function agentExec(socket: string, req: { argv: string[]; env?: Record<string, string>; cwd?: string }): SandboxProcess {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const sock = net.connect(socket);
  const nonce = randomBytes(8).toString('hex');
  const decoder = new AgentDecoder(nonce);
  let started = false;
  let done = false;
  const pending: string[] = [];
  const send = (s: string) => {
    if (started) sock.write(s);
    else pending.push(s);
  };
  const request = () => sock.write(encodeRequest({ nonce, ...req }));
  let resend: NodeJS.Timeout | undefined;
  let markStarted: () => void = () => undefined;
  const whenStarted = new Promise<void>((r) => (markStarted = r));
  const exit = new Promise<number>((resolve, reject) => {
    const fail = (msg: string) => {
      if (done) return;
      done = true;
      clearTimeout(resend);
      sock.destroy();
      stdout.end();
      stderr.end();
      reject(new EngineError(msg, [], 'is the VM still running? `spectrum logs` shows its console'));
    };
    sock.on('connect', () => {
      // Sent once: QEMU holds host data on the socket until the guest opens its port, so an
      // agent still starting gets it later; a resend would only kill the first run.
      request();
      resend = setTimeout(() => {
        if (!started) fail(`the guest agent did not answer within ${GIVE_UP_MS / 1000} s`);
      }, GIVE_UP_MS);
    });
    sock.on('data', (chunk: Buffer) => {
      for (const e of decoder.push(chunk)) {
        if (e.kind === 'started') {
          started = true;
          markStarted();
          clearTimeout(resend);
          for (const s of pending.splice(0)) sock.write(s);
        } else if (e.kind === 'stdout') stdout.write(e.data);
        else if (e.kind === 'stderr') stderr.write(e.data);
        else if (e.kind === 'refused') stderr.write(`${e.message}\n`);
        else if (e.kind === 'exit') {
          done = true;
          stdout.end();
          stderr.end();
          // destroy, not end: QEMU never closes its side, and a half-open socket keeps a CLI alive.
          sock.destroy();
          resolve(e.code);
        }
      }
    });
    sock.on('error', (err) => fail(`cannot reach the guest agent: ${err.message}`));
    sock.on('close', () => fail('the guest agent went away before the command ended'));
  });
  const writeStdin = (chunk: Buffer, cb: () => void): void => {
    if (done) return cb();
    // Hold the caller until the guest took the request: nothing piles up in memory meanwhile.
    if (!started) return void whenStarted.then(() => writeStdin(chunk, cb));
    send(encodeStdin(chunk));
    // Back-pressure: wait until the socket has taken what is queued.
    if (sock.writableNeedDrain) sock.once('drain', () => cb());
    else cb();
  };
  const stdin = new Writable({
    write: (chunk: Buffer, _enc, cb) => writeStdin(chunk, () => cb()),
    final(cb) {
      if (!done) send(STDIN_END);
      cb();
    },
  });
  return {
    stdin,
    stdout,
    stderr,
    exit,
    kill() {
      if (!done && started) sock.write(KILL);
    },
  };
}

/** Runs a command through the agent to its end, its output collected (exec with stdio: pipe). */
export async function agentRun(socket: string, argv: string[], inheritStdio: boolean): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const p = agentExec(socket, { argv });
  let stdout = '';
  let stderr = '';
  if (inheritStdio) {
    p.stdout.pipe(process.stdout, { end: false });
    p.stderr.pipe(process.stderr, { end: false });
  } else {
    p.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    p.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  }
  // A terminal on stdin would wait for typing the command may never ask for: only piped input goes in.
  if (inheritStdio && !process.stdin.isTTY) process.stdin.pipe(p.stdin);
  else p.stdin.end();
  const piped = inheritStdio && !process.stdin.isTTY;
  try {
    return { exitCode: await p.exit, stdout, stderr };
  } finally {
    // A piped stdin left open would keep the CLI alive after the command ended.
    if (piped) {
      process.stdin.unpipe(p.stdin);
      process.stdin.destroy();
    }
  }
}
