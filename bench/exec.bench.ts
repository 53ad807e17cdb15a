// Ways in at each level, into one running sandbox per level:
// - exec round trip: `spectrum exec`'s engine call (`true`, output collected), through the
//   runtime's exec (runc, runsc) or the compiled guest agent (microvm, vm). Target: microVM p50
//   at most 50 ms (under TCG here).
// - cp of a 100 MB file in and out, beside a plain `tar -c | tar -x` pipe of the same file on
//   this host (the ratio says what the sandbox's way in costs over tar itself).
// BENCH_LEVELS=container,microvm picks levels; BENCH_RUNS the exec round trips per level.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../engine/api';
import { privateEngineEnv } from '../test/helpers/engine-env';
import { loadAverage, reportTargets } from './report';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const LEVELS = (process.env.BENCH_LEVELS ?? 'container,gvisor,microvm,vm').split(',');
const TARGET_MS = 50;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-bench-exec-'));
const engine = createEngine({ env: privateEngineEnv(tmp), prewarm: false });
const BIG = path.join(tmp, 'big.bin');

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))];

async function waitReady(id: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (!(await engine.logs(id)).includes('ready')) {
    if (Date.now() > deadline) throw new Error(`${id} never became ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Wall time of `tar -c f | tar -x -C dir` on this host: the floor any copy stands on. */
async function tarPipeMs(): Promise<number> {
  const dest = mkdtempSync(path.join(tmp, 'tar-'));
  const t = performance.now();
  await new Promise<void>((resolve, reject) => {
    const c = spawn('tar', ['-c', '-f', '-', '-C', tmp, 'big.bin'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const x = spawn('tar', ['-x', '-f', '-', '-C', dest], { stdio: ['pipe', 'ignore', 'inherit'] });
    c.stdout.pipe(x.stdin);
    x.on('error', reject).on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar -x exited ${code}`))));
  });
  const ms = performance.now() - t;
  rmSync(dest, { recursive: true, force: true });
  return ms;
}

interface LevelFigures {
  exec: number[];
  cpInMs: number;
  cpOutMs: number;
}

async function measure(isolation: string): Promise<LevelFigures> {
  const file = path.join(tmp, `${isolation}.sandbox.yaml`);
  writeFileSync(file, `name: x-${isolation}\nisolation: ${isolation}\nimage: busybox\nreadonly: false\nresources: { memory: 384Mi }\ncommand: [/bin/sh, -c, "echo ready; exec sleep 3600"]\n`);
  const [info] = await engine.up(file);
  try {
    await waitReady(info.id);
    await engine.exec(info.id, ['true']); // first call pays for connecting and loading code
    const exec: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const r = await engine.exec(info.id, ['true']);
      exec.push(performance.now() - t);
      if (r.exitCode !== 0) throw new Error(`exec true exited ${r.exitCode}: ${r.stderr}`);
    }
    let t = performance.now();
    await engine.copyIn(info.id, BIG, '/big.bin');
    const cpInMs = performance.now() - t;
    const back = path.join(tmp, `${isolation}-back`);
    mkdirSync(back);
    t = performance.now();
    await engine.copyOut(info.id, '/big.bin', back);
    const cpOutMs = performance.now() - t;
    rmSync(back, { recursive: true, force: true });
    return { exec, cpInMs, cpOutMs };
  } finally {
    await engine.down(info.id);
  }
}

async function main(): Promise<void> {
  try {
    writeFileSync(BIG, randomBytes(100 * 1024 * 1024));
    const tarMs = await tarPipeMs();
    const figures = new Map<string, LevelFigures>();
    for (const level of LEVELS) figures.set(level, await measure(level));
    console.log(`plain tar pipe of 100 MB on this host: ${(tarMs / 1000).toFixed(2)} s`);
    for (const [level, f] of figures) {
      console.log(
        `${level.padEnd(10)} exec p50 ${pct(f.exec, 0.5).toFixed(1)} ms  p90 ${pct(f.exec, 0.9).toFixed(1)} ms (${f.exec.length} runs)  ` +
          `cp 100 MB in ${(f.cpInMs / 1000).toFixed(2)} s (${(f.cpInMs / tarMs).toFixed(1)}x tar)  out ${(f.cpOutMs / 1000).toFixed(2)} s (${(f.cpOutMs / tarMs).toFixed(1)}x tar)`,
      );
    }
    console.log(loadAverage());
    const micro = figures.get('microvm');
    reportTargets('exec', micro ? [{ target: `microVM exec p50 ${pct(micro.exec, 0.5).toFixed(1)} ms <= ${TARGET_MS} ms`, ok: pct(micro.exec, 0.5) <= TARGET_MS }] : []);
  } finally {
    await engine.downAll();
    engine.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
