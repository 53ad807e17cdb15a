// Copies between the host and a running sandbox as a tar stream through a command run inside it
// (the runtime's exec, or a VM's guest agent): the host side is node-tar, the sandbox side its
// own tar. Sizes of any length stream through; nothing is buffered whole.
import { lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { create } from 'tar';
import type { ProcessSpec } from '../drivers/driver';
import { EngineError } from '../errors';
import { startProcess } from '../runner';
import type { SandboxProcess } from '../vm/agent-client';
import { extractToHost, hostTarget } from './host-extract';
import { explainTarFailure, tarInCommand, tarOutCommand } from './sandbox-tar';

export interface CopyResult {
  /** Where the copy landed (a host path for copy out, a sandbox path for copy in). */
  path: string;
  bytes: number;
  /** Entries left out (copy out: device nodes, fifos...). */
  skipped: string[];
}

/** Starts `command` inside the sandbox with stdin, stdout and stderr piped. */
export type SandboxExec = (command: string[]) => SandboxProcess;

/** A runtime's exec process (`runc exec`, `runsc exec`) as a SandboxProcess. */
export function hostProcess(p: ProcessSpec): SandboxProcess {
  const { child } = startProcess(p, { stdin: 'pipe' });
  const exit = new Promise<number>((resolve, reject) => {
    child.on('error', (err) => reject(new EngineError(`copy failed: could not run the sandbox's exec: ${err.message}`)));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 9) : 1)));
  });
  return {
    stdin: child.stdin!,
    stdout: child.stdout!,
    stderr: child.stderr!,
    exit,
    kill: () => kill(child),
  };
}

interface Running {
  proc: SandboxProcess;
  done: Promise<void>;
}

function runInSandbox(exec: SandboxExec, command: string[]): Running {
  const proc = exec(command);
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (c: string) => {
    if (stderr.length < 64 * 1024) stderr += c;
  });
  const stderrEnded = new Promise<void>((r) => proc.stderr.once('end', () => r()).once('close', () => r()));
  const done = proc.exit.then(async (code) => {
    if (code === 0) return;
    await Promise.race([stderrEnded, new Promise((r) => setTimeout(r, 500))]);
    throw new EngineError(`copy failed: ${explainTarFailure(code, stderr)}`);
  });
  return { proc, done };
}

function kill(child: ChildProcess): void {
  // Once reaped, its process group id may belong to someone else.
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export async function copyOut(exec: SandboxExec, sandboxPath: string, hostPath: string): Promise<CopyResult> {
  const base = path.posix.basename(sandboxPath);
  const { parent, name } = hostTarget(hostPath, base);
  const r = runInSandbox(exec, tarOutCommand(sandboxPath));
  r.proc.stdin.end();
  let bytes = 0;
  r.proc.stdout.on('data', (c: Buffer) => (bytes += c.length));
  try {
    const res = await extractToHost(r.proc.stdout, { top: base, parent, name, finished: r.done, abort: () => r.proc.kill() });
    return { ...res, bytes };
  } finally {
    r.proc.kill();
  }
}

export async function copyIn(exec: SandboxExec, hostPath: string, sandboxPath: string): Promise<CopyResult> {
  const abs = path.resolve(hostPath);
  try {
    lstatSync(abs);
  } catch {
    throw new EngineError(`no such file or folder on the host: ${abs}`);
  }
  const base = path.basename(abs);
  const r = runInSandbox(exec, tarInCommand(sandboxPath, base));
  let bytes = 0;
  // portable: no host uid/gid, user or group names go into the sandbox.
  const tarStream = create({ cwd: path.dirname(abs), portable: true, follow: false }, [base]);
  tarStream.on('data', (c: Buffer) => (bytes += c.length));
  const sent = new Promise<void>((resolve, reject) => {
    tarStream.on('error', (err: unknown) => reject(new EngineError(`copy failed reading ${abs}: ${(err as Error).message}`)));
    tarStream.on('end', () => resolve());
  });
  // A sandbox that exits early closes the pipe: its exit status says why, not EPIPE.
  r.proc.stdin.on('error', () => undefined);
  tarStream.pipe(r.proc.stdin);
  r.proc.stdout.resume();
  // The sandbox's side may end first (no such folder, a full disk): its exit decides then, for
  // the tar stream stalls once nothing reads it, and waiting for its end would wait for ever.
  const bothDone = sent.then(() => r.done);
  const sandboxFirst = r.done.then(() => Promise.race([sent, new Promise<void>((res) => setTimeout(res, 2000).unref())]));
  bothDone.catch(() => undefined);
  sandboxFirst.catch(() => undefined);
  try {
    await Promise.race([bothDone, sandboxFirst]);
  } finally {
    r.proc.kill();
  }
  return { path: sandboxPath, bytes, skipped: [] };
}
