// CLI bench: whole `spectrum` processes, as a user runs them from a shell, side by side with the
// raw runtimes (runc, runsc, a bare workerd) and with `docker run` on a private dockerd this bench
// starts itself (Debian's docker.io, installed here when missing and we are root) from the same
// busybox rootfs. Every row runs once per round, rounds interleaved; medians are printed with the
// load average. BENCH_CLI_BEFORE=<an older dist/cli.js> adds that build's rows (before/after).
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { which } from '../engine/host/binaries';
import { findWorkerd } from '../engine/host/workerd-path';
import { waitHttp } from '../engine/lifecycle/readiness';
import { REPO_ROOT } from '../test/helpers/engine-env';
import { loadAverage, reportTargets, type Verdict } from './report';
import { ensureDocker, startDockerd, type Dockerd } from './dockerd';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const BEFORE = process.env.BENCH_CLI_BEFORE;
// BENCH_CLI: another build's cli.js (e.g. a copy, while dist/ is being rebuilt).
const CLI = path.resolve(process.env.BENCH_CLI ?? path.join(REPO_ROOT, 'dist', 'cli.js'));
// runsc's sandbox process walks the path of its files as an unprivileged user: keep it searchable.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-clibench-'));
chmodSync(tmp, 0o755);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A private engine world per CLI build, so builds never read each other's state. */
function cliEnv(name: string): NodeJS.ProcessEnv {
  const root = path.join(tmp, name);
  mkdirSync(path.join(root, 'run'), { recursive: true, mode: 0o700 });
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_STATE_HOME: path.join(root, 'state'), XDG_CACHE_HOME: path.join(root, 'cache'), XDG_RUNTIME_DIR: path.join(root, 'run') };
  // Each build runs the monitor that sits beside it, as an installed CLI does.
  delete env.SPECTRUM_MONITOR_SCRIPT;
  return env;
}

function must(r: SpawnSyncReturns<string>, what: string, expect?: RegExp): SpawnSyncReturns<string> {
  if (r.error) throw new Error(`${what}: ${r.error.message}`);
  if (r.status !== 0 || (expect && !expect.test(r.stdout))) {
    throw new Error(`${what}: exit ${r.status}${r.signal ? ` (${r.signal})` : ''}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

function sh(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; expect?: RegExp; timeout?: number } = {}): SpawnSyncReturns<string> {
  return must(spawnSync(cmd, args, { encoding: 'utf8', env: opts.env, cwd: tmp, timeout: opts.timeout ?? 120_000 }), `${cmd} ${args.join(' ')}`, opts.expect);
}

// CPU time beside wall time: on a loaded machine wall time mostly measures the queue, while the
// CPU a command's process tree used (its own and every child it reaped: the monitor, the runtime)
// is what this work costs. /usr/bin/time reports it; docker's daemon-side work is not in it.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
let lastCpuMs: number | undefined;

/** Wall time of one whole process, start to exit; its output is checked so a failure never counts as fast. */
function timed(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; expect?: RegExp } = {}): { ms: number; stdout: string } {
  const usage = path.join(tmp, 'usage.txt');
  const argv = TIME ? [TIME, '-f', '%U %S', '-o', usage, cmd, ...args] : [cmd, ...args];
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env: opts.env, cwd: tmp, timeout: 60_000 });
  const ms = performance.now() - t0;
  must(r, `${cmd} ${args.join(' ')}`, opts.expect);
  if (TIME) {
    const [u, sy] = readFileSync(usage, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    lastCpuMs = (u + sy) * 1000;
  }
  return { ms, stdout: r.stdout };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A busybox rootfs and an OCI bundle over it (`runc spec`, then echo hi, no terminal). */
function makeBundle(): string {
  const bundle = path.join(tmp, 'bundle');
  const rootfs = path.join(bundle, 'rootfs');
  mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
  const busybox = which('busybox');
  if (!busybox) throw new Error('busybox is missing: npm run setup installs busybox-static');
  copyFileSync(busybox, path.join(rootfs, 'bin', 'busybox'));
  chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
  sh('chroot', [rootfs, '/bin/busybox', '--install', '-s', '/bin']);
  sh(which('runc') ?? 'runc', ['spec', '--bundle', bundle]);
  const config = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8')) as { process: { terminal: boolean; args: string[] }; root: { readonly: boolean } };
  config.process.terminal = false;
  config.process.args = ['/bin/echo', 'hi'];
  config.root.readonly = true;
  writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(config, null, 2));
  return bundle;
}

/** A bare workerd: start, poll its socket until the first response, stop. */
async function workerdFirstResponse(bin: string, dir: string): Promise<number> {
  const port = await freePort();
  const config = path.join(dir, 'bare.capnp');
  writeFileSync(config, `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .w)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const w :Workerd.Worker = (modules = [(name = "w.js", esModule = embed "w.js")], compatibilityDate = "2025-01-01");
`);
  const t0 = performance.now();
  const child = spawn(bin, ['serve', config], { cwd: dir, stdio: 'ignore' });
  try {
    await waitHttp(`http://127.0.0.1:${port}/`, { intervalMs: 3, timeoutMs: 15_000 });
    return performance.now() - t0;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

interface Row {
  name: string;
  kind: 'spectrum' | 'before' | 'raw' | 'docker' | 'node';
  run: (round: number) => Promise<number> | number;
  samples: number[];
  cpu: number[];
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: npm run build');
  const bundle = makeBundle();
  const rootfs = path.join(bundle, 'rootfs');
  const workerd = findWorkerd();
  writeFileSync(path.join(tmp, 'w.js'), 'export default { fetch() { return new Response("hi\\n"); } };\n');
  const spec = (name: string, body: string) => writeFileSync(path.join(tmp, `${name}.sandbox.yaml`), `name: ${name}\n${body}`);
  spec('c', 'isolation: container\nimage: busybox\ncommand: [/bin/echo, hi]\n');
  spec('g', 'isolation: gvisor\nimage: busybox\ncommand: [/bin/echo, hi]\n');
  spec('i', `isolation: isolate\nworker: ${path.join(tmp, 'w.js')}\ncompatibilityDate: 2025-01-01\n`);
  spec('u', 'isolation: container\nimage: busybox\ncommand: [/bin/sleep, "60"]\n');

  const dockerMissing = ensureDocker();
  let dockerd: Dockerd | undefined;
  const rows: Row[] = [];
  const add = (name: string, kind: Row['kind'], run: Row['run']) => rows.push({ name, kind, run, samples: [], cpu: [] });
  try {
    if (!dockerMissing) dockerd = await startDockerd(path.join(tmp, 'docker'), rootfs);
    else console.log(`docker rows skipped: ${dockerMissing}`);

    add('node -e 0', 'node', () => timed(process.execPath, ['-e', '0']).ms);
    const builds: Array<[string, string, Row['kind']]> = [['spectrum', CLI, 'spectrum']];
    if (BEFORE) builds.push(['before', path.resolve(BEFORE), 'before']);
    for (const [label, cli, kind] of builds) {
      const env = cliEnv(label);
      const spectrum = (args: string[], expect?: RegExp) => timed(process.execPath, [cli, ...args], { env, expect });
      // Warm: the host cache and the image rootfs, once (the targets are for a warm host).
      spectrum(['doctor']);
      spectrum(['run', 'c.sandbox.yaml'], /hi/);
      add(`${label} --version`, kind, () => spectrum(['--version']).ms);
      add(`${label} ps`, kind, () => spectrum(['ps']).ms);
      add(`${label} doctor`, kind, () => spectrum(['doctor'], /container/).ms);
      add(`${label} run container`, kind, () => spectrum(['run', 'c.sandbox.yaml'], /^hi$/m).ms);
      add(`${label} run gvisor`, kind, () => spectrum(['run', 'g.sandbox.yaml'], /^hi$/m).ms);
      if (workerd) add(`${label} run isolate`, kind, () => spectrum(['run', 'i.sandbox.yaml'], /^hi$/m).ms);
      add(`${label} up container`, kind, () => {
        const r = spectrum(['up', 'u.sandbox.yaml'], /\trunning/);
        const upCpu = lastCpuMs;
        timed(process.execPath, [cli, 'down', r.stdout.split('\t')[0]], { env });
        lastCpuMs = upCpu;
        return r.ms;
      });
    }
    const runRoot = path.join(tmp, 'raw-root');
    const runc = which('runc') ?? 'runc';
    const runsc = which('runsc') ?? 'runsc';
    add('runc run', 'raw', (i) => timed(runc, ['--root', runRoot, 'run', '--bundle', bundle, `bench-runc-${i}`], { expect: /^hi$/m }).ms);
    add('runsc run', 'raw', (i) =>
      timed(runsc, ['--root', path.join(runRoot, 'runsc'), '--network=none', '--platform=ptrace', 'run', '--bundle', bundle, `bench-runsc-${i}`], { expect: /^hi$/m, env: { ...process.env, TMPDIR: tmp } }).ms,
    );
    if (workerd) add('workerd serve', 'raw', () => workerdFirstResponse(workerd, tmp));
    if (dockerd) {
      const [d, ...dargs] = dockerd.docker;
      timed(d, [...dargs, 'run', '--rm', '--network', 'none', 'spectrum-bench-busybox', '/bin/echo', 'hi'], { expect: /^hi$/m });
      add('docker run --rm', 'docker', () => timed(d, [...dargs, 'run', '--rm', '--network', 'none', 'spectrum-bench-busybox', '/bin/echo', 'hi'], { expect: /^hi$/m }).ms);
    }

    // Rounds interleave every row, so load changes hit all of them alike.
    for (let i = 0; i < RUNS; i++) {
      for (const r of rows) {
        lastCpuMs = undefined;
        r.samples.push(await r.run(i));
        if (lastCpuMs !== undefined) r.cpu.push(lastCpuMs);
      }
    }

    const med = (name: string) => {
      const r = rows.find((x) => x.name === name);
      return r && r.samples.length ? median(r.samples) : undefined;
    };
    console.log(`whole processes, ${RUNS} interleaved rounds; ${loadAverage()}`);
    const table = [
      ['row', 'median ms', 'min ms', 'max ms', 'cpu median ms'],
      ...rows.map((r) => [r.name, median(r.samples).toFixed(0), Math.min(...r.samples).toFixed(0), Math.max(...r.samples).toFixed(0), r.cpu.length ? median(r.cpu).toFixed(0) : '-']),
    ];
    const w = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
    for (const r of table) console.log(r.map((c, i) => (i ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  '));

    const verdicts: Verdict[] = [];
    const atMost = (what: string, v: number | undefined, limit: number, unit = 'ms') => v !== undefined && verdicts.push({ target: `${what} ${v.toFixed(unit === 'x' ? 2 : 0)} ${unit} <= ${limit} ${unit}`, ok: v <= limit });
    atMost('spectrum run container', med('spectrum run container'), 250);
    const docker = med('docker run --rm');
    const run = med('spectrum run container');
    if (docker !== undefined && run !== undefined) verdicts.push({ target: `docker run / spectrum run ${(docker / run).toFixed(2)}x >= 2.5x`, ok: docker / run >= 2.5 });
    const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined ? a / b : undefined);
    atMost('spectrum run gvisor / runsc run', ratio(med('spectrum run gvisor'), med('runsc run')), 1.5, 'x');
    atMost('spectrum run isolate / workerd serve', ratio(med('spectrum run isolate'), med('workerd serve')), 1.5, 'x');
    atMost('spectrum up container', med('spectrum up container'), 250);
    atMost('spectrum ps', med('spectrum ps'), 150);
    atMost('spectrum doctor (warm cache)', med('spectrum doctor'), 200);
    if (BEFORE) {
      console.log('\nbefore -> after (median ms)');
      for (const r of rows.filter((x) => x.kind === 'before')) {
        const b = median(r.samples);
        const a = med(r.name.replace(/^before/, 'spectrum'));
        const after = rows.find((x) => x.name === r.name.replace(/^before/, 'spectrum'));
        const cpu = after?.cpu.length && r.cpu.length ? `; cpu ${median(r.cpu).toFixed(0)} -> ${median(after.cpu).toFixed(0)} ms` : '';
        if (a !== undefined) console.log(`  ${r.name.replace(/^before /, '').padEnd(16)} ${b.toFixed(0).padStart(6)} -> ${a.toFixed(0).padStart(6)}  (${(b / a).toFixed(2)}x${cpu})`);
      }
    }
    reportTargets('cli bench', verdicts);
  } finally {
    for (const label of ['spectrum', 'before']) {
      const cli = label === 'spectrum' ? CLI : BEFORE;
      if (cli && existsSync(path.join(tmp, label))) spawnSync(process.execPath, [cli, 'down', '--all'], { env: cliEnv(label), stdio: 'ignore' });
    }
    await dockerd?.stop();
    // runc/runsc state of raw runs that did not finish (a failure mid-round).
    for (const [bin, root] of [['runc', path.join(tmp, 'raw-root')], ['runsc', path.join(tmp, 'raw-root', 'runsc')]] as const) {
      if (!existsSync(root)) continue;
      for (const id of readdirSync(root).filter((n) => n.startsWith('bench-'))) spawnSync(which(bin) ?? bin, ['--root', root, 'delete', bin === 'runsc' ? '-force' : '--force', id], { stdio: 'ignore' });
    }
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
