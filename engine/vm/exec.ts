// The few host tools boot artefacts need (apt-get, dpkg-deb, xz), run with argument arrays.
import { execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ExecResult {
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const detail = String(stderr || err.message).trim().split('\n').slice(-5).join('\n');
        reject(new Error(`${cmd} ${args.join(' ')} failed: ${detail}`));
      } else resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Runs `cmd args`, feeding `input` on stdin and writing stdout to `outPath`. */
export function pipeToFile(cmd: string, args: string[], input: Buffer, outPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = createWriteStream(outPath);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.stdout.pipe(out);
    let code: number | null = null;
    let closed = false;
    const done = () => {
      if (code === null || !closed) return;
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
    };
    out.on('close', () => { closed = true; done(); });
    child.on('exit', (c) => { code = c ?? 1; done(); });
    child.stdin.on('error', () => undefined); // the tool may stop reading at the end of its stream
    child.stdin.end(input);
  });
}
