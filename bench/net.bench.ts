// Published-port latency per level: a request to busybox httpd inside a sandbox through its
// published port (the user-mode stack, pasta) vs the same request to the same httpd binary run
// directly on this host's 127.0.0.1. Interleaved; p50 of each and their ratio, with the load
// average. Target (issue 16): published p50 at most 2x the direct p50, per level.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../engine/api';
import { defaultSpec } from '../engine/spec/defaults';
import { parsePort } from '../engine/spec/ports';
import type { Isolation, PortSpec } from '../engine/spec/types';
import { which } from '../engine/host/binaries';
import { privateEngineEnv } from '../test/helpers/engine-env';
import { loadAverage, reportTargets, type Verdict } from './report';

const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const LEVELS: Isolation[] = ['container', 'gvisor'];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-bench-net-'));
const engine = createEngine({ env: privateEngineEnv(tmp), prewarm: false, owner: 'window:bench' });
const BODY = 'x'.repeat(512);
// The same page inside (written at start) and outside.
const SERVE = ['/bin/sh', '-c', `mkdir -p /tmp/w && printf '${BODY}' > /tmp/w/index.html && exec httpd -f -p 8000 -h /tmp/w`];

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** One HTTP/1.0 GET on a new connection; ms to the end of the answer, or undefined on failure. */
function request(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let size = 0;
    const sock = net.connect({ host: '127.0.0.1', port }, () => sock.write('GET / HTTP/1.0\r\n\r\n'));
    sock.setTimeout(5000, () => sock.destroy());
    sock.on('data', (d) => (size += d.length));
    sock.on('error', () => undefined);
    sock.on('close', () => resolve(size > BODY.length ? performance.now() - t0 : undefined));
  });
}

async function waitUp(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await request(port)) !== undefined) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function main(): Promise<void> {
  const busybox = which('busybox');
  if (!busybox) throw new Error('busybox is not installed (apt-get install busybox-static)');
  const www = path.join(tmp, 'www');
  mkdirSync(www);
  writeFileSync(path.join(www, 'index.html'), BODY);
  const directPort = await freePort();
  const direct = spawn(busybox, ['httpd', '-f', '-p', `127.0.0.1:${directPort}`, '-h', www], { stdio: 'ignore' });
  const verdicts: Verdict[] = [];
  try {
    if (!(await waitUp(directPort, 5000))) throw new Error('the direct httpd did not answer');
    console.log(`level      published p50  direct p50  ratio  (p90 published/direct; ${RUNS} requests each, interleaved)`);
    for (const level of LEVELS) {
      const hostPort = await freePort();
      const spec = defaultSpec(`bench-net-${level}`, level, path.join(tmp, 'net.sandbox.yaml'), { image: 'busybox', network: 'outbound', ports: [parsePort(`${hostPort}:8000`) as PortSpec], command: SERVE });
      const info = await engine.upSpec(spec);
      try {
        if (!(await waitUp(hostPort, 30_000))) throw new Error(`${level}: the published port never answered`);
        const pub: number[] = [];
        const dir: number[] = [];
        let failed = 0;
        for (let i = 0; i < RUNS; i++) {
          const a = await request(hostPort);
          const b = await request(directPort);
          if (a === undefined || b === undefined) failed++;
          else {
            pub.push(a);
            dir.push(b);
          }
        }
        if (!pub.length) throw new Error(`${level}: every request failed`);
        const p50 = quantile(pub, 0.5);
        const d50 = quantile(dir, 0.5);
        const ratio = p50 / d50;
        console.log(`${level.padEnd(10)} ${p50.toFixed(2).padStart(10)} ms ${d50.toFixed(2).padStart(8)} ms ${ratio.toFixed(2).padStart(6)}x  (p90 ${quantile(pub, 0.9).toFixed(2)}/${quantile(dir, 0.9).toFixed(2)} ms${failed ? `, ${failed} failed` : ''})`);
        verdicts.push({ target: `${level}: published-port p50 ${p50.toFixed(2)} ms <= 2x direct loopback p50 ${d50.toFixed(2)} ms (${ratio.toFixed(2)}x)`, ok: ratio <= 2 && failed === 0 });
      } finally {
        await engine.down(info.id);
      }
    }
    console.log(loadAverage());
  } finally {
    direct.kill('SIGTERM');
    engine.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
  reportTargets('net bench', verdicts);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
