// Where bench parts leave their figures for `npm run bench`'s whole table (scripts/bench.mjs,
// bench/table.ts): one JSON file per part under bench-results/ (BENCH_RESULTS_DIR overrides), with
// rows of measured figures and the part's verdicts. A part run alone writes it too, so the table
// picks up the latest figures of parts not rerun.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Verdict } from './report';

export interface BenchRow {
  /** isolate, container, gvisor, microvm, vm, or what else the row is about. */
  level: string;
  /** What was measured, e.g. "launch to first output", "published-port p50". */
  what: string;
  value: number;
  unit: string;
  /** The same thing without the engine (runtime direct, loopback direct, docker run...). */
  baseline?: { what: string; value: number };
}

export interface BenchFile {
  bench: string;
  at: string;
  loadAverage: number[];
  cores: number;
  rows: BenchRow[];
  verdicts: Verdict[];
}

export function resultsDir(): string {
  return process.env.BENCH_RESULTS_DIR ?? path.resolve(__dirname, '..', 'bench-results');
}

/** Parts this process saved with rows: bench/report.ts then leaves their file as it is. */
const saved = new Set<string>();

/** A part's file name from the name it reports under ("net bench" -> net). */
export function partName(bench: string): string {
  return bench.replace(/ bench$/, '').replace(/[^A-Za-z0-9_.-]+/g, '-');
}

/** Called by reportTargets for every part: a part that saved no rows still shows its verdicts. */
export function saveVerdicts(bench: string, verdicts: Verdict[]): void {
  if (!saved.has(partName(bench))) saveBenchResult(partName(bench), [], verdicts);
}

export function saveBenchResult(bench: string, rows: BenchRow[], verdicts: Verdict[]): string {
  saved.add(bench);
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${bench}.json`);
  const data: BenchFile = { bench, at: new Date().toISOString(), loadAverage: os.loadavg(), cores: os.cpus().length, rows, verdicts };
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** Every part's saved result except the whole table's own files. */
export function readBenchResults(dir = resultsDir()): BenchFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'table.json');
  } catch {
    return [];
  }
  const out: BenchFile[] = [];
  for (const n of names.sort()) {
    try {
      const f = JSON.parse(readFileSync(path.join(dir, n), 'utf8')) as BenchFile;
      if (typeof f.bench === 'string' && Array.isArray(f.rows)) out.push(f);
    } catch {
      // A part that crashed while writing: its figures are not shown.
    }
  }
  return out;
}
