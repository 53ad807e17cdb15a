// `spectrum mcp` as an agent sees it, through the SDK's client over stdio, per level:
// - run_command round trip in a warm sandbox (`true`): p50 at most 50 ms (container), 100 ms (gVisor).
// - create_sandbox until it returns (the sandbox ready for commands) against the level's own
//   launch time measured the same way straight on the engine (up, then the workload's first
//   output): at most that plus 20 ms. Also shown: create to the first command's answer.
// BENCH_LEVELS picks levels (container,gvisor); BENCH_RUNS the round trips per level.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createEngine } from '../engine/api';
import { defaultSpec } from '../engine/spec/defaults';
import { privateEngineEnv, REPO_ROOT } from '../test/helpers/engine-env';
import { loadAverage, reportTargets, type Verdict } from './report';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const LEVELS = (process.env.BENCH_LEVELS ?? 'container,gvisor').split(',');
const P50_TARGET: Record<string, number> = { container: 50, gvisor: 100 };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-bench-mcp-'));
const env = privateEngineEnv(tmp);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))];

/** The level's launch time on the engine itself: upSpec until the workload's first output. */
async function launchMs(level: string): Promise<number> {
  const engine = createEngine({ env, prewarm: true });
  await engine.warm();
  try {
    const spec = defaultSpec('launch', level as 'container', path.join(tmp, 'x.sandbox.yaml'), { image: 'busybox', command: ['/bin/sh', '-c', 'echo up; while :; do sleep 3600; done'], resources: { memoryBytes: 256 * 1024 * 1024, cpus: 1 } });
    const t = performance.now();
    const info = await engine.upSpec(spec);
    while (!(await engine.logs(info.id)).includes('up')) await new Promise((r) => setTimeout(r, 2));
    const ms = performance.now() - t;
    await engine.down(info.id);
    return ms;
  } finally {
    engine.dispose();
  }
}

async function main(): Promise<void> {
  mkdirSync(path.join(tmp, '.spectrum'));
  writeFileSync(path.join(tmp, '.spectrum', 'agent-policy.yaml'), 'minLevel: container\nimages: [busybox]\nmaxSandboxes: 3\nmaxMemory: 256Mi\n');
  const transport = new StdioClientTransport({ command: process.execPath, args: [path.join(REPO_ROOT, 'dist', 'cli.js'), 'mcp'], cwd: tmp, env: env as Record<string, string>, stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
    if (r.isError) throw new Error(`${name}: ${JSON.stringify(r.content)}`);
    return r.structuredContent as Record<string, unknown>;
  };
  const verdicts: Verdict[] = [];
  try {
    // Let the server's spare monitor start before the first timed create.
    await new Promise((r) => setTimeout(r, 1500));
    for (const level of LEVELS) {
      const launch = [] as number[];
      const create = [] as number[];
      const first = [] as number[];
      for (let i = 0; i < 3; i++) {
        launch.push(await launchMs(level));
        const t = performance.now();
        const s = await call('create_sandbox', { level });
        create.push(performance.now() - t);
        await call('run_command', { sandbox: s.id, argv: ['true'] });
        first.push(performance.now() - t);
        if (i < 2) await call('destroy_sandbox', { sandbox: s.id });
        else {
          const rt: number[] = [];
          for (let k = 0; k < RUNS; k++) {
            const t1 = performance.now();
            await call('run_command', { sandbox: s.id, argv: ['true'] });
            rt.push(performance.now() - t1);
          }
          await call('destroy_sandbox', { sandbox: s.id });
          const p50 = pct(rt, 0.5);
          console.log(`${level}: run_command round trip p50 ${p50.toFixed(1)} ms, p90 ${pct(rt, 0.9).toFixed(1)} ms (${RUNS} runs)`);
          verdicts.push({ target: `${level} run_command p50 ${p50.toFixed(1)} ms <= ${P50_TARGET[level] ?? 100} ms`, ok: p50 <= (P50_TARGET[level] ?? 100) });
        }
      }
      const [l, c, f] = [pct(launch, 0.5), pct(create, 0.5), pct(first, 0.5)];
      console.log(`${level}: launch (engine) ${l.toFixed(0)} ms; create_sandbox ${c.toFixed(0)} ms; create to first command answered ${f.toFixed(0)} ms (medians of 3)`);
      verdicts.push({ target: `${level} create_sandbox ${c.toFixed(0)} ms <= launch ${l.toFixed(0)} ms + 20 ms`, ok: c <= l + 20 });
    }
  } finally {
    await client.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(loadAverage());
  reportTargets('mcp', verdicts);
}

void main();
