// microVM boot speed under the accelerator this host gives (TCG here: see README on KVM).
//  1. Cold microVM to command output, QEMU spawned directly with our argv: the uncompressed
//     vmlinux vs the compressed bzImage, interleaved. Targets: vmlinux median <= 3.0 s, >= 2x faster.
//  2. Engine (warm engine, monitor started ahead) vs the exact QEMU argv the microvm driver
//     prepared, spawned directly, interleaved; both until the command's exit code is known.
//     Target: overhead <= max(10 %, 50 ms).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../engine/api';
import type { SandboxSpec } from '../engine/spec/types';
import { collectHost } from '../engine/host/collect';
import { qemuMicrovmDriver } from '../engine/drivers/qemu-microvm';
import { parseConsole } from '../engine/vm/console-output';
import { probeKvm } from '../engine/vm/kvm';
import { bootDirect, spawnQemu } from '../test/integration/vm/qemu-direct';
import { privateEngineEnv } from '../test/helpers/engine-env';
import { loadAverage, reportTargets, type Verdict } from './report';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-vmbench-'));
const env = privateEngineEnv(tmp);
const COMMAND = ['/bin/sh', '-c', 'echo bench-output'];
const COLD_TARGET_MS = 3000;
const SPEEDUP_TARGET = 2;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function spec(): SandboxSpec {
  return {
    name: 'vmbench', isolation: 'microvm', image: 'busybox', command: COMMAND, env: {}, mounts: [], resources: { cpus: 1, memoryBytes: 256 * 1024 * 1024 },
    network: 'none', readonly: true, container: { runtime: 'runc' }, gvisor: { platform: 'auto' }, kernel: 'auto',
    microvm: { vmm: 'qemu' }, devices: [], gpu: 'none', source: { file: path.join(tmp, 'vmbench.sandbox.yaml'), document: 0 },
  };
}

async function directBoot(preferBzImage: boolean): Promise<number> {
  const r = await bootDirect({ command: COMMAND, preferBzImage }, 120_000, { ...process.env, SPECTRUM_VM_CACHE: path.join(tmp, 'vmcache') });
  if (r.exitCode !== 0 || r.output !== 'bench-output\n') throw new Error(`direct boot failed: exit ${r.exitCode}, output ${JSON.stringify(r.output)}`);
  return r.ms;
}

/** The driver's exact argv (sockets, console log, initrd), spawned without engine or monitor. */
async function driverArgvBoot(i: number): Promise<number> {
  const host = await collectHost({ quick: true });
  const dir = path.join(tmp, `direct-${i}`);
  const runDir = path.join(tmp, `r${i}`);
  for (const d of [dir, runDir]) (await import('node:fs')).mkdirSync(d, { recursive: true });
  const plan = await qemuMicrovmDriver.prepare({ id: `vmbench-${i}`, spec: spec(), dir, runDir, cacheDir: path.join(tmp, 'cache'), host, unsafe: false });
  const t = performance.now();
  const r = await spawnQemu(plan.process.args, 120_000);
  const ms = performance.now() - t;
  const c = parseConsole(readFileSync(plan.guestConsole!.log!, 'utf8'), plan.guestConsole!.nonce);
  if (r.code !== 0 || c.exitCode !== 0) throw new Error(`driver argv boot failed: ${r.stderr}`);
  return ms;
}

async function main(): Promise<void> {
  const kvm = probeKvm();
  const accel = kvm.usable ? 'kvm' : 'tcg';
  console.log(`accelerator: ${accel} (${kvm.reason})`);
  console.log(`runs: ${RUNS} each, interleaved; at the start: ${loadAverage()}`);

  await directBoot(false); // warm the artefact cache (vmlinux extraction, base initramfs)
  const vmlinux: number[] = [];
  const bz: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    vmlinux.push(await directBoot(false));
    bz.push(await directBoot(true));
  }

  const engine = createEngine({ env, prewarm: true, owner: 'window:vmbench' });
  // A prewarmed engine holds its monitors unref'd (they must not keep an editor alive), so
  // nothing else keeps this script's event loop running while a run is pending.
  const keepAlive = setInterval(() => undefined, 1000);
  const viaEngine: number[] = [];
  const viaArgv: number[] = [];
  try {
    const first = await engine.run(spec(), { timeoutMs: 120_000 }); // warm: host facts, base initramfs
    if (first.exitCode !== 0) throw new Error(`engine run failed: ${JSON.stringify(first)}`);
    for (let i = 0; i < RUNS; i++) {
      await engine.warm();
      const t = performance.now();
      const r = await engine.run(spec(), { timeoutMs: 120_000 });
      viaEngine.push(performance.now() - t);
      if (r.exitCode !== 0 || r.output !== 'bench-output\n') throw new Error(`engine run failed: ${JSON.stringify(r)}`);
      // The pool starts its next spare monitor after a run: let that finish before timing the
      // baseline, so neither side shares the CPU with it.
      await engine.warm();
      viaArgv.push(await driverArgvBoot(i));
    }
  } finally {
    await engine.downAll().catch(() => undefined);
    engine.dispose();
    clearInterval(keepAlive);
  }

  const mv = median(vmlinux);
  const mb = median(bz);
  const me = median(viaEngine);
  const ma = median(viaArgv);
  const overhead = me - ma;
  const budget = Math.max(0.1 * ma, 50);
  const verdicts: Verdict[] = [
    { target: `cold microVM, vmlinux (${accel}): median ${sec(mv)} <= ${sec(COLD_TARGET_MS)}`, ok: mv <= COLD_TARGET_MS },
    { target: `vmlinux ${(mb / mv).toFixed(2)}x faster than bzImage >= ${SPEEDUP_TARGET}x`, ok: mb / mv >= SPEEDUP_TARGET },
    { target: `engine overhead ${overhead.toFixed(0)} ms <= ${budget.toFixed(0)} ms`, ok: overhead <= budget },
  ];
  const verdict = (i: number) => (verdicts[i].ok ? 'ok' : 'MISSED');
  const rows: [string, string, string][] = [
    [`cold microVM, vmlinux (${accel}), direct`, sec(mv), `target <= ${sec(COLD_TARGET_MS)}: ${verdict(0)}`],
    [`cold microVM, bzImage (${accel}), direct`, sec(mb), `vmlinux ${(mb / mv).toFixed(2)}x faster (target >= ${SPEEDUP_TARGET}x: ${verdict(1)})`],
    [`engine run (${accel})`, sec(me), `overhead ${overhead.toFixed(0)} ms (${((overhead / ma) * 100).toFixed(1)} %)`],
    [`driver's exact argv, direct (${accel})`, sec(ma), `target overhead <= ${budget.toFixed(0)} ms: ${verdict(2)}`],
  ];
  console.log('');
  console.log('| measurement | median | note |');
  console.log('|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\nraw (ms): vmlinux ${vmlinux.map(Math.round).join(' ')}; bzImage ${bz.map(Math.round).join(' ')}; engine ${viaEngine.map(Math.round).join(' ')}; argv ${viaArgv.map(Math.round).join(' ')}`);
  reportTargets('vm bench', verdicts);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(tmp, { recursive: true, force: true }));
