// Published-port latency and throughput per level: a request to busybox httpd inside a sandbox
// through its published port (the user-mode stack: pasta; QEMU user networking for microVMs) vs
// the same request to the same httpd binary run directly on this host's 127.0.0.1. Interleaved;
// p50 of each and their ratio, with the load average. Target (issue 16): published p50 at most 2x
// the direct p50, per level. Reported beside it (no target): a 100 MB download through the
// published port vs the same file from the direct httpd, in MB/s. Containers and gVisor serve the
// file from a read-only mount of the host's copy; a microVM from its own RAM (written at boot),
// so no 9p transfer is in its figure.
// BENCH_NET_LEVELS=container,gvisor,microvm,vm picks levels; BENCH_DOWNLOADS sets downloads per side.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
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
import { saveBenchResult, type BenchRow } from './table-results';

const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const DOWNLOADS = Number(process.env.BENCH_DOWNLOADS ?? 3);
const LEVELS = (process.env.BENCH_NET_LEVELS ?? 'container,gvisor,microvm').split(',') as Isolation[];
const BIG_BYTES = 100 * 1024 * 1024;
const VM_BOOT_MS = 180_000;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-bench-net-'));
const engine = createEngine({ env: privateEngineEnv(tmp), prewarm: false, owner: 'window:bench' });
const BODY = 'x'.repeat(512);
// The same page inside (written at start) and outside. The download inside is a busybox
// `cat FILE | nc -l` loop (busybox httpd's sendfile under gVisor ends large answers with EAGAIN),
// outside a plain loopback stream of the same file: FILE is a read-only mount of the host's copy,
// or, in a VM, written into the guest's RAM first, so no 9p transfer is in its figure.
const DL_PORT = 8001;
function serve(level: Isolation): string[] {
  const vm = level === 'microvm' || level === 'vm';
  const big = vm ? `head -c ${BIG_BYTES} /dev/zero > /tmp/big && F=/tmp/big` : 'F=/big/big';
  return ['/bin/sh', '-c', `mkdir -p /tmp/w && printf '${BODY}' > /tmp/w/index.html && ${big}; (while true; do cat $F | nc -l -p ${DL_PORT}; done) & exec httpd -f -p 8000 -h /tmp/w`];
}

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

/** One download of the whole file from a `cat | nc -l` loop: MB/s (10^6 bytes/s), or undefined if short. */
function download(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let size = 0;
    let done = false;
    const finish = (v: number | undefined) => {
      if (done) return;
      done = true;
      sock.destroy();
      resolve(v);
    };
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.setTimeout(120_000, () => finish(undefined));
    sock.on('data', (d) => {
      size += d.length;
      if (size >= BIG_BYTES) finish(BIG_BYTES / 1e6 / ((performance.now() - t0) / 1000));
    });
    sock.on('error', () => finish(undefined));
    sock.on('close', () => finish(undefined));
  });
}

/** Retries until a download completes (the loop's nc restarts between connections). */
async function downloadWhenUp(port: number, ms: number): Promise<number | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const r = await download(port);
    if (r !== undefined) return r;
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
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
  // The download's file: zeros, like the VM's (no compression anywhere on the path).
  const bigDir = path.join(tmp, 'big');
  mkdirSync(bigDir);
  const fd = openSync(path.join(bigDir, 'big'), 'w');
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < BIG_BYTES / chunk.length; i++) writeSync(fd, chunk);
  closeSync(fd);
  const directPort = await freePort();
  const direct = spawn(busybox, ['httpd', '-f', '-p', `127.0.0.1:${directPort}`, '-h', www], { stdio: 'ignore' });
  const directDlPort = await freePort();
  // busybox nc can't listen on 127.0.0.1 only: the direct side streams the same file from a
  // separate Node process on the loopback address (its own process group, ended with the bench).
  const streamer = `require('node:net').createServer((s) => { s.on('error', () => {}); require('node:fs').createReadStream(process.argv[1]).pipe(s); }).listen(Number(process.argv[2]), '127.0.0.1')`;
  const directDl = spawn(process.execPath, ['-e', streamer, path.join(bigDir, 'big'), String(directDlPort)], { stdio: 'ignore', detached: true });
  const verdicts: Verdict[] = [];
  const rows: BenchRow[] = [];
  const throughput: string[] = [];
  try {
    if (!(await waitUp(directPort, 5000))) throw new Error('the direct httpd did not answer');
    console.log(`level      published p50  direct p50  ratio  (p90 published/direct; ${RUNS} requests each, interleaved)`);
    for (const level of LEVELS) {
      const hostPort = await freePort();
      const dlPort = await freePort();
      const vm = level === 'microvm' || level === 'vm';
      const spec = defaultSpec(`bench-net-${level}`, level, path.join(tmp, 'net.sandbox.yaml'), {
        image: 'busybox',
        network: 'outbound',
        ports: [parsePort(`${hostPort}:8000`) as PortSpec, parsePort(`${dlPort}:${DL_PORT}`) as PortSpec],
        command: serve(level),
        ...(vm ? { microvm: { vmm: 'qemu' as const }, resources: { memoryBytes: 512 * 1024 * 1024 }, timeoutMs: 30 * 60_000 } : { mounts: [{ source: bigDir, target: '/big', writable: false }] }),
      });
      const info = await engine.upSpec(spec);
      try {
        if (!(await waitUp(hostPort, vm ? VM_BOOT_MS : 30_000))) throw new Error(`${level}: the published port never answered`);
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
        rows.push({ level, what: 'published-port request p50 (ms)', value: p50, unit: 'ms', baseline: { what: 'direct loopback p50', value: d50 } });
        // Downloads interleaved too: published, direct, published...
        const pubMBs: number[] = [];
        const dirMBs: number[] = [];
        for (let i = 0; i < DOWNLOADS; i++) {
          const a = await downloadWhenUp(dlPort, 10_000);
          const b = await downloadWhenUp(directDlPort, 10_000);
          if (a !== undefined) pubMBs.push(a);
          if (b !== undefined) dirMBs.push(b);
        }
        if (!pubMBs.length || !dirMBs.length) throw new Error(`${level}: every 100 MB download fell short`);
        const pm = quantile(pubMBs, 0.5);
        const dm = quantile(dirMBs, 0.5);
        throughput.push(`${level.padEnd(10)} ${pm.toFixed(1).padStart(8)} MB/s ${dm.toFixed(1).padStart(8)} MB/s ${(pm / dm).toFixed(2).padStart(6)}x  (${pubMBs.length}/${DOWNLOADS} complete)`);
        rows.push({ level, what: '100 MB download through the published port (MB/s)', value: pm, unit: 'MB/s', baseline: { what: 'direct loopback download', value: dm } });
      } finally {
        await engine.down(info.id);
      }
    }
    console.log(`\nlevel      published   direct      ratio  (100 MB download, median of ${DOWNLOADS})`);
    for (const t of throughput) console.log(t);
    console.log(loadAverage());
  } finally {
    direct.kill('SIGTERM');
    if (directDl.pid) process.kill(-directDl.pid, 'SIGTERM');
    engine.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
  saveBenchResult('net', rows, verdicts);
  reportTargets('net bench', verdicts);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
