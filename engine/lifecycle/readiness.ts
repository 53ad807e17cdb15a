// Readiness checks, shared by the monitor and the launch bench (which must use the very same
// check for its baseline).
import { chmodSync, existsSync } from 'node:fs';
import http from 'node:http';

/** Resolves at the first HTTP response (any status) from `url`; rejects after `timeoutMs`. */
export async function waitHttp(url: string, opts: { intervalMs?: number; timeoutMs?: number; isAlive?: () => boolean } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const interval = opts.intervalMs ?? 3;
  for (;;) {
    if (await probe(url)) return;
    if (opts.isAlive && !opts.isAlive()) throw new Error('the process exited before it answered HTTP');
    if (Date.now() > deadline) throw new Error(`no HTTP answer from ${url} within ${opts.timeoutMs ?? 10_000} ms`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Resolves once `file` exists; rejects when the process died first or after `timeoutMs`. */
export async function waitFile(file: string, opts: { intervalMs?: number; timeoutMs?: number; isAlive?: () => boolean } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    if (existsSync(file)) {
      // runc writes its pid file 0644; our runtime state stays owner-only like the rest of it.
      try {
        chmodSync(file, 0o600);
      } catch {
        // Gone again already: readiness was still reached.
      }
      return;
    }
    if (opts.isAlive && !opts.isAlive()) throw new Error(`the process exited before it wrote ${file}`);
    if (Date.now() > deadline) throw new Error(`the runtime did not start the sandbox's process within ${opts.timeoutMs ?? 10_000} ms (no ${file})`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 3));
  }
}

function probe(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** Feeds output chunks; reports true once `pattern` has matched (across chunk boundaries). */
export function outputMatcher(pattern: string): (chunk: string) => boolean {
  const re = new RegExp(pattern, 'm');
  let tail = '';
  let matched = false;
  return (chunk) => {
    if (matched) return true;
    tail = (tail + chunk).slice(-8192);
    matched = re.test(tail);
    return matched;
  };
}
