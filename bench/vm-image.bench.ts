// The realistic image (Debian bookworm + python3, test/helpers/debian-image.ts) at two levels:
//  1. microVM boot with the image's ext4 root vs the busybox microVM (the initramfs only), both
//     with the microvm driver's exact QEMU argv, spawned directly, to the command's exit, interleaved.
//     Target: image median <= 1.2x busybox median.
//  2. Launch of the cached image at container level: the engine (warm, monitor ahead; as root it
//     mounts the per-sandbox overlay) vs `runc run` of the same bundle on the same cached rootfs,
//     launch to first output, interleaved. Target: overhead <= max(15 %, 10 ms).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../engine/api';
import type { SandboxSpec } from '../engine/spec/types';
import type { LaunchPlan } from '../engine/drivers/driver';
import { collectHost } from '../engine/host/collect';
import { qemuMicrovmDriver } from '../engine/drivers/qemu-microvm';
import { parseConsole } from '../engine/vm/console-output';
import { probeKvm } from '../engine/vm/kvm';
import { spawnQemu } from '../test/integration/vm/qemu-direct';
import { debianPythonLayout } from '../test/helpers/debian-image';
import { privateEngineEnv } from '../test/helpers/engine-env';
import { loadAverage, reportTargets, type Verdict } from './report';

const VM_RUNS = Number(process.env.BENCH_VM_RUNS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const BOOT_RATIO_TARGET = 1.2;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-vmimgbench-'));
const env = privateEngineEnv(tmp);
const cacheDir = path.join(env.XDG_CACHE_HOME!, 'isolation-spectrum');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

function spec(over: Partial<SandboxSpec>): SandboxSpec {
  return {
    name: 'vmimgbench', isolation: 'microvm', image: 'busybox', command: ['/bin/echo', 'bench-output'], env: {}, mounts: [], resources: { cpus: 1, memoryBytes: 256 * 1024 * 1024 },
    network: 'none', readonly: true, container: { runtime: 'runc' }, gvisor: { platform: 'auto' }, kernel: 'auto',
    microvm: { vmm: 'qemu' }, devices: [], gpu: 'none', source: { file: path.join(tmp, 'bench.sandbox.yaml'), document: 0 }, ...over,
  };
}

/** The microvm driver's exact argv for `s` (its initrd, and the image's disk when it has one), to the guest's exit. */
async function driverBoot(s: SandboxSpec, i: number, host: Awaited<ReturnType<typeof collectHost>>): Promise<number> {
  const dir = path.join(tmp, `vm-${i}`);
  const runDir = path.join(tmp, `r${i}`);
  for (const d of [dir, runDir]) mkdirSync(d, { recursive: true });
  try {
    const plan = await qemuMicrovmDriver.prepare({ id: `vmimgbench-${i}`, spec: s, dir, runDir, cacheDir, host, unsafe: false, env });
    const t = performance.now();
    const r = await spawnQemu(plan.process.args, 180_000);
    const took = performance.now() - t;
    const c = parseConsole(readFileSync(plan.guestConsole!.log!, 'utf8'), plan.guestConsole!.nonce);
    if (r.code !== 0 || c.exitCode !== 0 || c.output !== 'bench-output\n') throw new Error(`boot of ${s.image} failed: exit ${c.exitCode}, ${JSON.stringify(c.output)} ${r.stderr}`);
    return took;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(runDir, { recursive: true, force: true });
  }
}

type RuncConfig = { root: { path: string; readonly: boolean } };

/** `runc run` of the engine's bundle config with the cached, unpacked image as its (read-only) root. */
async function runcDirect(engineConfig: RuncConfig, lower: string, i: number): Promise<number> {
  const bundle = path.join(tmp, `bundle-${i}`);
  rmSync(bundle, { recursive: true, force: true });
  mkdirSync(bundle);
  writeFileSync(path.join(bundle, 'config.json'), JSON.stringify({ ...engineConfig, root: { path: lower, readonly: true } }));
  const root = path.join(tmp, 'runc-root');
  const id = `vmimgbench-direct-${i}`;
  const t0 = performance.now();
  const child = spawn('runc', ['--root', root, 'run', '--bundle', bundle, id], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((r) => child.once('exit', r));
  try {
    return await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', () => resolve(performance.now() - t0));
      child.once('exit', (code) => reject(new Error(`runc exited (${code}) before any output: ${stderr}`)));
    });
  } finally {
    await exited;
    spawnSync('runc', ['--root', root, 'delete', '--force', id]);
  }
}

async function main(): Promise<void> {
  const layout = await debianPythonLayout((s) => console.log(s));
  const image = `oci-layout:${layout}:python`;
  const kvm = probeKvm();
  console.log(`accelerator: ${kvm.usable ? 'kvm' : 'tcg'} (${kvm.reason}); at the start: ${loadAverage()}`);
  const host = await collectHost({ quick: true });

  // 1. Boots. The first of each builds what is cached (initramfs, the image's store entry, disk).
  const withImage = spec({ image });
  const busybox = spec({});
  const setup = performance.now();
  await driverBoot(withImage, -1, host);
  console.log(`first image boot, with import, unpack and ext4 build: ${ms(performance.now() - setup)}`);
  await driverBoot(busybox, -2, host);
  const img: number[] = [];
  const bb: number[] = [];
  for (let i = 0; i < VM_RUNS; i++) {
    img.push(await driverBoot(withImage, i * 2, host));
    bb.push(await driverBoot(busybox, i * 2 + 1, host));
  }
  const ratio = median(img) / median(bb);
  console.log(`\nmicroVM to command exit (${VM_RUNS} interleaved): image ext4 root ${ms(median(img))}, busybox ${ms(median(bb))}, ratio ${ratio.toFixed(2)}`);
  console.log(`  runs: image ${img.map(ms).join(' ')} | busybox ${bb.map(ms).join(' ')}`);

  // 2. Container launch of the cached image.
  const engine = createEngine({ env, prewarm: true, owner: 'window:vmimgbench' });
  const keepAlive = setInterval(() => undefined, 1000);
  const verdicts: Verdict[] = [{ target: `image microVM boot ${ratio.toFixed(2)}x busybox <= ${BOOT_RATIO_TARGET}x`, ok: ratio <= BOOT_RATIO_TARGET }];
  try {
    const cspec = spec({ isolation: 'container', image, resources: {} });
    const viaEngine = async (): Promise<{ ms: number; config: RuncConfig; lower: string }> => {
      await engine.warm();
      const t0 = performance.now();
      let first: (() => void) | undefined;
      const firstOutput = new Promise<number>((r) => (first = () => r(performance.now())));
      const info = await engine.upSpec(cspec, { onOutput: () => first?.() });
      const took = (await firstOutput) - t0;
      const plan = JSON.parse(readFileSync(path.join(path.dirname(info.logPath), 'plan.json'), 'utf8')) as LaunchPlan;
      const args = plan.process.args;
      const config = JSON.parse(readFileSync(path.join(args[args.indexOf('--bundle') + 1], 'config.json'), 'utf8')) as RuncConfig;
      await engine.down(info.id);
      return { ms: took, config, lower: path.join(cacheDir, 'images', 'rootfs', String(plan.extra?.imageDigest ?? '').slice(7)) };
    };
    const warm = await viaEngine();
    await runcDirect(warm.config, warm.lower, -1);
    const e: number[] = [];
    const d: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await viaEngine();
      e.push(r.ms);
      d.push(await runcDirect(r.config, r.lower, i));
    }
    const over = median(e) - median(d);
    const allowed = Math.max(0.15 * median(d), 10);
    console.log(`\ncontainer launch of the cached image to first output (${RUNS} interleaved): engine ${ms(median(e))}, runc run ${ms(median(d))}, overhead ${ms(over)} (allowed ${ms(allowed)})`);
    console.log(`  runs: engine ${e.map(ms).join(' ')} | runc ${d.map(ms).join(' ')}`);
    verdicts.push({ target: `image container launch overhead ${over.toFixed(1)} ms <= ${allowed.toFixed(1)} ms`, ok: over <= allowed });
  } finally {
    clearInterval(keepAlive);
    await engine.downAll().catch(() => undefined);
    engine.dispose();
  }
  reportTargets('vm-image bench', verdicts);
}

main()
  .catch((err: Error) => {
    console.error(err.stack ?? err.message);
    process.exitCode = 1;
  })
  .finally(() => {
    rmSync(tmp, { recursive: true, force: true });
    process.exit(process.exitCode ?? 0);
  });
