// Launch overhead per level: launch to first output through the engine API (warm engine, its
// monitor started ahead) vs. spawning the exact argv the engine used, with the same readiness
// check (first stdout chunk; isolates: first HTTP response). Interleaved, medians printed, and the
// tear-down of each side (engine: down; direct: the runtime's exit and its delete). Target:
// overhead at most max(15 %, 10 ms) per level. Beside them (no target): microVM and VM launches
// through the engine, `docker run` and `docker run --runtime=runsc` on a private dockerd
// (bench/dockerd.ts), and `podman run` when installed. The rows go to bench-results/launch.json
// for `npm run bench`'s whole table. BENCH_SHORT=1: one run of the container level only (CI).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../engine/api';
import type { SandboxSpec } from '../engine/spec/types';
import type { LaunchPlan } from '../engine/drivers/driver';
import { waitHttp } from '../engine/lifecycle/readiness';
import { privateEngineEnv } from '../test/helpers/engine-env';
import { reportTargets, type Verdict } from './report';
import { saveBenchResult, type BenchRow } from './table-results';
import { BENCH_IMAGE, ensureDocker, startDockerd, type Dockerd } from './dockerd';
import { which } from '../engine/host/binaries';
import { newestCachedKernel } from '../engine/vm/guest-kernel';

const SHORT = process.env.BENCH_SHORT === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? (SHORT ? 1 : 9));
// A TCG boot takes seconds: fewer runs of the VM levels.
const VM_RUNS = Number(process.env.BENCH_VM_RUNS ?? 3);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-bench-'));
const env = privateEngineEnv(tmp);
const engine = createEngine({ env, prewarm: true, owner: 'window:bench' });

function baseSpec(over: Partial<SandboxSpec>): SandboxSpec {
  return {
    name: 'bench', isolation: 'container', image: 'busybox', command: ['/bin/echo', 'ready'], env: {}, mounts: [], resources: {},
    network: 'none', readonly: true, container: { runtime: 'runc' }, gvisor: { platform: 'auto' }, kernel: 'auto',
    microvm: { vmm: 'auto' }, devices: [], gpu: 'none', source: { file: path.join(tmp, 'bench.sandbox.yaml'), document: 0 }, ...over,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Engine: launch to first output (or to readiness for isolates). */
async function viaEngine(spec: SandboxSpec): Promise<{ ms: number; teardownMs: number; plan: LaunchPlan; dir: string }> {
  await engine.warm();
  const t0 = performance.now();
  let first: (() => void) | undefined;
  const firstOutput = new Promise<number>((r) => (first = () => r(performance.now())));
  const info = await engine.upSpec(spec, { onOutput: () => first?.() });
  const ms = spec.isolation === 'isolate' ? performance.now() - t0 : (await firstOutput) - t0;
  const dir = path.dirname(info.logPath);
  const plan = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as LaunchPlan;
  const keep = path.join(tmp, `keep-${spec.isolation}`);
  rmSync(keep, { recursive: true, force: true });
  // Skip the state files the monitor is atomically rewriting (*.tmp) while we copy.
  cpSync(dir, keep, { recursive: true, filter: (src) => !src.endsWith('.tmp') });
  const t1 = performance.now();
  await engine.down(info.id);
  return { ms, teardownMs: performance.now() - t1, plan, dir: keep };
}

/** Direct: the same argv (fresh id and state root; the engine's prepared files), same readiness. */
let lastDirectTeardownMs = 0;
async function direct(plan: LaunchPlan, isolation: string, keep: string, stateDir: string, i: number): Promise<number> {
  const id = `direct-${isolation}-${i}`;
  const runRoot = path.join(tmp, 'direct', id);
  // Paths into the engine's (removed) state folder point at the kept copy; '' would match everywhere.
  const moved = (a: string) => (stateDir ? a.split(stateDir).join(keep) : a);
  let args = plan.process.args.map(moved);
  let cleanup: string[] | undefined;
  if (isolation !== 'isolate') {
    const rootIdx = args.indexOf('--root');
    args[rootIdx + 1] = path.join(runRoot, path.basename(args[rootIdx + 1]));
    // runc's pid file (the engine's readiness) lives in the engine's runtime folder: a fresh one here.
    const pidIdx = args.indexOf('--pid-file');
    if (pidIdx >= 0) args[pidIdx + 1] = path.join(runRoot, path.basename(args[pidIdx + 1]));
    args = [...args.slice(0, -1), id];
    cleanup = [...args.slice(0, args.indexOf('run')), 'delete', isolation === 'gvisor' ? '-force' : '--force', id];
  }
  await engine.warm();
  const t0 = performance.now();
  const child = spawn(plan.process.command, args, { cwd: plan.process.cwd === undefined ? undefined : moved(plan.process.cwd), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  try {
    if (isolation === 'isolate') {
      await waitHttp(plan.url!, { intervalMs: (plan.readiness as { intervalMs?: number }).intervalMs ?? 3, timeoutMs: 15_000 });
      const ms = performance.now() - t0;
      child.kill('SIGTERM');
      return ms;
    }
    return await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', () => resolve(performance.now() - t0));
      child.once('exit', (code) => reject(new Error(`${plan.process.command} exited (${code}) before any output: ${stderr}`)));
    });
  } catch (e) {
    throw new Error(`direct ${isolation} launch failed: ${(e as Error).message}${stderr ? `\n${stderr}` : ''}`);
  } finally {
    // Never leave the replayed runtime behind, whatever happened above. Its tear-down is timed:
    // the runtime's own exit (the command ends by itself) and its delete.
    const t1 = performance.now();
    if (isolation === 'isolate' && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    if (cleanup) spawnSync(plan.process.command, cleanup);
    lastDirectTeardownMs = performance.now() - t1;
    rmSync(runRoot, { recursive: true, force: true });
  }
}

/** `docker run --rm` (extra args before the image): ms to first output, and from there to its exit. */
async function dockerRun(d: Dockerd, extra: string[]): Promise<{ ms: number; teardownMs: number }> {
  const [bin, ...args] = d.docker;
  const t0 = performance.now();
  const child = spawn(bin, [...args, 'run', '--rm', '--network', 'none', ...extra, BENCH_IMAGE, '/bin/echo', 'ready'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const first = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', () => resolve(performance.now()));
    child.once('exit', (code) => reject(new Error(`docker run ${extra.join(' ')} exited (${code}) before any output: ${stderr}`)));
  });
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  return { ms: first - t0, teardownMs: performance.now() - first };
}

async function main(): Promise<void> {
  // The engine lets go of monitors once launched; keep this process up while we await output.
  const keepAlive = setInterval(() => undefined, 1000);
  writeFileSync(path.join(tmp, 'w.js'), 'export default { fetch() { return new Response("ready"); } };\n');
  const all: Array<[string, SandboxSpec]> = [
    ['isolate', baseSpec({ isolation: 'isolate', image: undefined, command: undefined, worker: path.join(tmp, 'w.js'), compatibilityDate: '2025-01-01', start: 'cold' })],
    ['container', baseSpec({ isolation: 'container' })],
    ['gvisor', baseSpec({ isolation: 'gvisor' })],
  ];
  const levels = SHORT ? all.filter(([l]) => l === 'container') : all;
  const table: BenchRow[] = [];
  await engine.host();
  const rows: string[][] = [['level', 'runtime', 'engine median ms', 'direct median ms', 'overhead ms', 'overhead %', 'allowed ms', 'ok', 'engine min', 'direct min']];
  const verdicts: Verdict[] = [];
  for (const [level, spec] of levels) {
    const e: number[] = [];
    const d: number[] = [];
    const et: number[] = [];
    const dt: number[] = [];
    // One warm-up of each (caches, page cache), not counted.
    const warm = await viaEngine(spec);
    const stateDir = path.join(env.XDG_STATE_HOME!, 'isolation-spectrum', 'sandboxes');
    const origDir = (warm.plan.process.args.find((a) => a.includes(stateDir)) ?? warm.plan.process.cwd ?? '').split(path.sep).slice(0, stateDir.split(path.sep).length + 1).join(path.sep);
    await direct(warm.plan, level, warm.dir, origDir, -1);
    for (let i = 0; i < RUNS; i++) {
      const r = await viaEngine(spec);
      e.push(r.ms);
      et.push(r.teardownMs);
      const od = (r.plan.process.args.find((a) => a.includes(stateDir)) ?? r.plan.process.cwd ?? '').split(path.sep).slice(0, stateDir.split(path.sep).length + 1).join(path.sep);
      d.push(await direct(r.plan, level, r.dir, od, i));
      dt.push(lastDirectTeardownMs);
    }
    const em = median(e);
    const dm = median(d);
    const over = em - dm;
    const allowed = Math.max(0.15 * dm, 10);
    const ok = over <= allowed;
    verdicts.push({ target: `${level} overhead ${over.toFixed(1)} ms <= ${allowed.toFixed(1)} ms`, ok });
    rows.push([level, warm.plan.process.command.split('/').pop()!, em.toFixed(1), dm.toFixed(1), over.toFixed(1), ((over / dm) * 100).toFixed(1), allowed.toFixed(1), ok ? 'yes' : 'NO', Math.min(...e).toFixed(1), Math.min(...d).toFixed(1)]);
    const runtime = warm.plan.process.command.split('/').pop()!;
    table.push({ level, what: `launch to first output (ms), engine vs ${runtime} direct`, value: em, unit: 'ms', baseline: { what: `${runtime} direct`, value: dm } });
    table.push({ level, what: `tear-down (ms), engine down vs ${runtime} direct`, value: median(et), unit: 'ms', baseline: { what: `${runtime} direct`, value: median(dt) } });
  }
  if (!SHORT) {
    await vmRows(table);
    await dockerRows(table);
    podmanRow();
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(`launch to first output, ${RUNS} interleaved runs per side`);
  for (const r of rows) console.log(r.map((c, i) => c.padStart(widths[i])).join('  '));
  for (const t of table.filter((r) => !levels.some(([l]) => l === r.level))) console.log(`${t.level.padEnd(22)} ${t.what}: ${t.value.toFixed(1)} ${t.unit}${t.baseline ? ` (${t.baseline.what} ${t.baseline.value.toFixed(1)})` : ''}`);
  saveBenchResult('launch', table, verdicts);
  reportTargets('launch bench', verdicts);
  clearInterval(keepAlive);
}

/** microVM and VM launches through the engine (QEMU; no direct replay: its sockets live in the engine's folders). */
async function vmRows(table: BenchRow[]): Promise<void> {
  if (!newestCachedKernel()) {
    console.log('microvm/vm rows skipped: no guest kernel cached (npm run setup)');
    return;
  }
  for (const level of ['microvm', 'vm'] as const) {
    const spec = baseSpec({ isolation: level, microvm: { vmm: 'qemu' }, readonly: false, timeoutMs: 120_000 });
    const e: number[] = [];
    const t: number[] = [];
    for (let i = 0; i < VM_RUNS; i++) {
      const r = await viaEngine(spec);
      e.push(r.ms);
      t.push(r.teardownMs);
    }
    table.push({ level, what: 'launch to first output (ms), engine (QEMU)', value: median(e), unit: 'ms' });
    table.push({ level, what: 'tear-down (ms), engine down', value: median(t), unit: 'ms' });
  }
}

/** docker run and docker run --runtime=runsc on a private dockerd, beside the engine's container and gVisor rows. */
async function dockerRows(table: BenchRow[]): Promise<void> {
  const missing = ensureDocker();
  if (missing) {
    console.log(`docker rows skipped: ${missing}`);
    return;
  }
  const runsc = which('runsc');
  const rootfs = path.join(tmp, 'docker-rootfs');
  cpSync(path.join(env.XDG_CACHE_HOME!, 'isolation-spectrum', 'rootfs'), rootfs, { recursive: true });
  // The cache holds one busybox rootfs folder: import that.
  const one = readdirSync(rootfs).find((n) => n.startsWith('busybox'));
  if (!one) {
    console.log('docker rows skipped: no busybox rootfs in the engine cache');
    return;
  }
  let d: Dockerd | undefined;
  try {
    d = await startDockerd(path.join(tmp, 'docker'), path.join(rootfs, one), runsc ? { runtimes: { runsc } } : {});
    for (const [level, extra, what] of [['container', [], 'docker run'], ...(runsc ? [['gvisor', ['--runtime=runsc'], 'docker run --runtime=runsc']] : [])] as Array<[string, string[], string]>) {
      const e: number[] = [];
      const t: number[] = [];
      await dockerRun(d, extra); // warm-up
      for (let i = 0; i < RUNS; i++) {
        const r = await dockerRun(d, extra);
        e.push(r.ms);
        t.push(r.teardownMs);
      }
      table.push({ level: `${level} (${what})`, what: 'launch to first output (ms)', value: median(e), unit: 'ms' });
      table.push({ level: `${level} (${what})`, what: 'first output to exit, --rm (ms)', value: median(t), unit: 'ms' });
    }
  } catch (err) {
    console.log(`docker rows failed: ${(err as Error).message}`);
  } finally {
    await d?.stop();
  }
}

function podmanRow(): void {
  // Named so the table says why the row is missing rather than leaving it out silently.
  if (!which('podman')) console.log('podman rows skipped: podman is not installed');
  else console.log('podman rows: not measured by this bench yet');
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await engine.downAll().catch(() => undefined);
    engine.dispose();
    rmSync(tmp, { recursive: true, force: true });
    // Helpers the engine loads (an esbuild service among them) can hold the event loop open.
    process.exit(process.exitCode ?? 0);
  });
