// Runs one workload at every level this host supports, one level after another (so they don't
// compete for the CPU), and measures each the same way: launch to first output, peak memory of
// the sandbox's processes, and the workload's own run time. Cancellable between and during runs.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Engine } from '../api';
import type { Isolation, SandboxSpec } from '../spec/types';
import { EngineError } from '../errors';
import { isAlive, treeUsage } from '../host/procfs';
import { BOUNDARY } from './boundaries';
import { incompatibility, levelsInOrder, specAt } from './plan';
import type { CompareOptions, CompareResult, LevelResult } from './types';

const SAMPLE_MS = 50;

export async function compareAcrossSpectrum(engine: Engine, spec: SandboxSpec, opts: CompareOptions = {}): Promise<CompareResult> {
  const doctor = await engine.doctor();
  const levels = levelsInOrder(opts.levels);
  const result: CompareResult = {
    spec: { file: spec.source.file, name: spec.name },
    startedAt: new Date().toISOString(),
    host: { kernel: os.release(), cpus: os.cpus().length, loadavg: os.loadavg().map((n) => Math.round(n * 100) / 100) },
    levels: [],
  };
  for (const [index, level] of levels.entries()) {
    if (opts.signal?.aborted) throw new EngineError('Compare Across Spectrum was cancelled');
    opts.onProgress?.({ level, index, total: levels.length, phase: 'start' });
    const supported = doctor.levels.find((l) => l.isolation === level && l.support.ok);
    const why = incompatibility(spec, level) ?? (supported ? undefined : `not supported on this host: ${doctor.levels.find((l) => l.isolation === level)?.support.reason ?? 'no runtime'}`);
    const r: LevelResult = why
      ? { isolation: level, boundary: BOUNDARY[level], skipped: why }
      : await measureLevel(engine, specAt(spec, level), level, supported?.runtime, opts);
    result.levels.push(r);
    opts.onProgress?.({ level, index, total: levels.length, phase: 'done', result: r });
  }
  return result;
}

async function measureLevel(engine: Engine, spec: SandboxSpec, level: Isolation, runtime: string | undefined, opts: CompareOptions): Promise<LevelResult> {
  const base: LevelResult = { isolation: level, runtime, boundary: BOUNDARY[level] };
  const t0 = performance.now();
  let first: number | undefined;
  let peak = 0;
  let done = false;
  // When the runtime process was seen gone: the run's end, before tear-down.
  let ended: number | undefined;
  // The sandbox's id is known only at the end: find its runtime process by name while it runs.
  const sampler = (async () => {
    let pid: number | undefined;
    let id: string | undefined;
    while (!done) {
      if (!pid) {
        // From `starting` on: the runtime's pid is known before the workload runs, and a short
        // workload can end before the sandbox is ever seen `running`.
        const s = (await engine.ps().catch(() => [])).find((i) => i.name === spec.name && (i.state === 'starting' || i.state === 'running') && i.pid);
        pid = s?.pid;
        id = s?.id;
      }
      // engine.run stops on abort only once its launch has returned; a cancel during a slow
      // launch would otherwise wait for the workload to end by itself.
      if (id && opts.signal?.aborted) {
        await engine.down(id).catch(() => undefined);
        id = undefined;
      }
      if (pid && ended === undefined) {
        if (isAlive(pid)) peak = Math.max(peak, treeUsage(pid).memoryBytes);
        else ended = performance.now();
      }
      await new Promise((r) => setTimeout(r, pid ? SAMPLE_MS : SAMPLE_MS * 2));
    }
  })();
  try {
    const run = await engine.run(spec, {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      onOutput: () => {
        first ??= performance.now();
      },
    });
    const end = ended ?? performance.now();
    // Isolates answer one HTTP request: their first output is the answer itself.
    first ??= run.output ? end : undefined;
    return {
      ...base,
      firstOutputMs: first === undefined ? undefined : Math.round(first - t0),
      runMs: first === undefined || level === 'isolate' ? undefined : Math.round(Math.max(0, end - first)),
      peakMemoryBytes: peak || undefined,
      exitCode: run.exitCode,
      ...(run.timedOut ? { error: 'timed out' } : {}),
    };
  } catch (e) {
    if (opts.signal?.aborted) throw new EngineError('Compare Across Spectrum was cancelled');
    return { ...base, error: (e as Error).message };
  } finally {
    done = true;
    await sampler;
  }
}
