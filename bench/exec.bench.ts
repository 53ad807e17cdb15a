// exec round trip into a running sandbox: `spectrum exec`'s engine call (`true`, output
// collected) into a running microVM through the guest agent, against the same call into a
// running container (`runc exec`). Target: microVM p50 at most 50 ms (under TCG here).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../engine/api';
import { privateEngineEnv } from '../test/helpers/engine-env';
import { loadAverage, reportTargets } from './report';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const TARGET_MS = 50;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-bench-exec-'));
const engine = createEngine({ env: privateEngineEnv(tmp), prewarm: false });

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))];

async function waitReady(id: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (!(await engine.logs(id)).includes('ready')) {
    if (Date.now() > deadline) throw new Error(`${id} never became ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function roundTrips(isolation: string): Promise<number[]> {
  const file = path.join(tmp, `${isolation}.sandbox.yaml`);
  writeFileSync(file, `name: x-${isolation}\nisolation: ${isolation}\nimage: busybox\nresources: { memory: 256Mi }\ncommand: [/bin/sh, -c, "echo ready; exec sleep 3600"]\n`);
  const [info] = await engine.up(file);
  try {
    await waitReady(info.id);
    await engine.exec(info.id, ['true']); // first call pays for connecting and loading code
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const r = await engine.exec(info.id, ['true']);
      ms.push(performance.now() - t);
      if (r.exitCode !== 0) throw new Error(`exec true exited ${r.exitCode}: ${r.stderr}`);
    }
    return ms;
  } finally {
    await engine.down(info.id);
  }
}

async function main(): Promise<void> {
  try {
    const container = await roundTrips('container');
    const microvm = await roundTrips('microvm');
    const line = (n: string, xs: number[]) => console.log(`${n.padEnd(10)} p50 ${pct(xs, 0.5).toFixed(1)} ms  p90 ${pct(xs, 0.9).toFixed(1)} ms  (${xs.length} runs)`);
    line('runc exec', container);
    line('microvm', microvm);
    console.log(loadAverage());
    reportTargets('exec', [{ target: `microVM exec p50 ${pct(microvm, 0.5).toFixed(1)} ms <= ${TARGET_MS} ms`, ok: pct(microvm, 0.5) <= TARGET_MS }]);
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
