// The one process runner: every process the engine starts goes through here, as an argument
// array (execa or child_process, never a shell). Drivers describe ProcessSpecs; this file runs them.
import { spawn, type ChildProcess } from 'node:child_process';
import type { ProcessSpec } from './drivers/driver';
import { EngineError } from './errors';

// execa is ESM-only: load it with import() so this file also runs as CommonJS (tsx, bundles).
let execaModule: Promise<typeof import('execa')> | undefined;
const execaLoaded = () => (execaModule ??= import('execa'));

/** Loads the runner's dependencies now, so the first launch does not pay for it (monitors). */
export async function preloadRunner(): Promise<void> {
  const { execa } = await execaLoaded();
  // execa's first call pays for lazy set-up (tens of ms); pay it before any launch.
  await execa('true', [], { reject: false, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', buffer: false, detached: true, cleanup: false });
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a short command to completion; never throws for a non-zero exit (callers decide). */
export async function runCommand(p: ProcessSpec, opts: { timeoutMs?: number; input?: string } = {}): Promise<CommandResult> {
  const { execa } = await execaLoaded();
  try {
    const r = await execa(p.command, p.args, {
      env: p.env,
      cwd: p.cwd,
      reject: false,
      timeout: opts.timeoutMs ?? 30_000,
      input: opts.input,
      stdin: opts.input === undefined ? 'ignore' : undefined,
      stripFinalNewline: false,
    });
    if (r.failed && r.exitCode === undefined) {
      const missing = (r as { code?: string }).code === 'ENOENT';
      throw new EngineError(missing ? `${p.command} not found` : `${p.command} failed: ${r.shortMessage}`);
    }
    return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError(`${p.command} could not run: ${(err as Error).message}`);
  }
}

/**
 * Starts a long-running process in its own process group with piped output, not buffered.
 * Plain child_process here: this is a launch's hot path, and execa's per-call set-up (option
 * normalisation, stream wrapping, the result promise) cost 5-15 ms per launch on a busy host
 * while nothing of it is used for a process whose output is streamed and whose exit is awaited.
 */
export function startProcess(p: ProcessSpec, opts: { stdin?: 'ignore' | 'pipe' | 'inherit' } = {}): { child: ChildProcess } {
  const child = spawn(p.command, p.args, {
    env: p.env ? { ...process.env, ...p.env } : process.env,
    cwd: p.cwd,
    detached: true,
    stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  return { child };
}

/** Starts a process with the caller's stdio (exec in a terminal). */
export async function startInteractive(p: ProcessSpec): Promise<{ exitCode?: number }> {
  const { execa } = await execaLoaded();
  return execa(p.command, p.args, { env: p.env, cwd: p.cwd, reject: false, stdio: 'inherit' });
}
