// `npm run bench`'s whole table: every part's saved figures (bench-results/*.json, written by the
// parts through bench/table-results.ts) with the machine, the runtime versions and the accelerator,
// as bench-results/table.json, table.md and table.svg (a bar chart of each row against its
// baseline, plain SVG). Exit code 1 when any saved target was missed or nothing was saved.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../engine/api';
import { kvmCheck } from '../engine/host/doctor';
import { privateEngineEnv } from '../test/helpers/engine-env';
import { readBenchResults, resultsDir, type BenchFile } from './table-results';
import { loadAverage } from './report';

const RUNTIMES = ['runc', 'runsc', 'workerd', 'qemu-system-x86_64', 'firecracker', 'pasta', 'busybox'];

export interface Machine {
  host: string;
  cpus: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  accelerator: string;
  runtimes: Record<string, string>;
  loadAverage: number[];
}

async function machine(): Promise<Machine> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-bench-table-'));
  const engine = createEngine({ env: privateEngineEnv(tmp), prewarm: false });
  try {
    const h = await engine.host();
    const runtimes: Record<string, string> = {};
    for (const r of RUNTIMES) runtimes[r] = h.binaries[r] ? (h.binaries[r]!.version ?? 'installed') : 'not installed';
    const kvm = kvmCheck(h);
    return {
      host: os.hostname(),
      cpus: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      kernel: h.kernelRelease,
      node: process.version,
      accelerator: kvm.ok ? 'kvm' : `tcg (${kvm.detail})`,
      runtimes,
      loadAverage: os.loadavg(),
    };
  } finally {
    engine.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

export function markdown(m: Machine, parts: BenchFile[]): string {
  const out = [
    '# Isolation Spectrum: the whole bench table',
    '',
    `Machine: ${m.cpus}, ${m.cores} cores, ${m.memoryGiB} GiB, kernel ${m.kernel}, Node ${m.node}; accelerator **${m.accelerator}**.`,
    `Runtimes: ${Object.entries(m.runtimes).map(([k, v]) => `${k} ${v}`).join('; ')}.`,
    `Load average when the table was made: ${m.loadAverage.map((l) => l.toFixed(2)).join(' ')} (1/5/15 min). A missed target on a loaded machine says little: compare each part's own load average.`,
    '',
    '| part | level | measured | value | baseline | ratio |',
    '| --- | --- | --- | ---: | ---: | ---: |',
  ];
  for (const p of parts) {
    for (const r of p.rows) {
      const base = r.baseline ? `${fmt(r.baseline.value)} (${r.baseline.what})` : '-';
      const ratio = r.baseline && r.baseline.value > 0 ? `${(r.value / r.baseline.value).toFixed(2)}x` : '-';
      out.push(`| ${p.bench} | ${r.level} | ${r.what} | ${fmt(r.value)} ${r.unit} | ${base} | ${ratio} |`);
    }
  }
  out.push('', '## Targets', '', '| part | target | met | load average then |', '| --- | --- | --- | --- |');
  for (const p of parts) for (const v of p.verdicts) out.push(`| ${p.bench} | ${v.target} | ${v.ok ? 'yes' : '**no**'} | ${p.loadAverage.map((l) => l.toFixed(2)).join(' ')} on ${p.cores} cores |`);
  return `${out.join('\n')}\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One pair of bars per row (value, and its baseline when it has one), each row scaled on its own. */
export function svg(parts: BenchFile[]): string {
  const rows = parts.flatMap((p) => p.rows.map((r) => ({ ...r, bench: p.bench })));
  const label = 420;
  const bar = 360;
  const h = 26;
  const height = 40 + rows.length * h + 30;
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${label + bar + 140}" height="${height}" font-family="sans-serif" font-size="11">`,
    '<style>.v{fill:#3b7dd8}.b{fill:#9aa5b1}text{fill:#222}</style>',
    `<text x="8" y="20" font-size="14">Isolation Spectrum bench (blue: measured, grey: baseline; each row on its own scale)</text>`,
  ];
  rows.forEach((r, i) => {
    const y = 36 + i * h;
    const max = Math.max(r.value, r.baseline?.value ?? 0) || 1;
    const w = (n: number) => Math.max(1, (n / max) * bar);
    lines.push(`<text x="8" y="${y + 12}">${esc(`${r.bench} · ${r.level} · ${r.what}`).slice(0, 80)}</text>`);
    lines.push(`<rect class="v" x="${label}" y="${y}" width="${w(r.value).toFixed(1)}" height="${r.baseline ? 10 : 18}"/>`);
    if (r.baseline) lines.push(`<rect class="b" x="${label}" y="${y + 11}" width="${w(r.baseline.value).toFixed(1)}" height="8"/>`);
    lines.push(`<text x="${label + bar + 8}" y="${y + 12}">${esc(`${fmt(r.value)} ${r.unit}${r.baseline ? ` / ${fmt(r.baseline.value)}` : ''}`)}</text>`);
  });
  lines.push('</svg>');
  return `${lines.join('\n')}\n`;
}

export async function writeTable(dir = resultsDir()): Promise<{ ok: boolean; files: string[]; rows: number }> {
  const parts = readBenchResults(dir);
  const m = await machine();
  mkdirSync(dir, { recursive: true });
  const files = [path.join(dir, 'table.json'), path.join(dir, 'table.md'), path.join(dir, 'table.svg')];
  writeFileSync(files[0], `${JSON.stringify({ machine: m, parts }, null, 2)}\n`);
  writeFileSync(files[1], markdown(m, parts));
  writeFileSync(files[2], svg(parts));
  const verdicts = parts.flatMap((p) => p.verdicts);
  return { ok: verdicts.length > 0 && verdicts.every((v) => v.ok), files, rows: parts.reduce((n, p) => n + p.rows.length, 0) };
}

if (require.main === module) {
  writeTable().then(
    (r) => {
      console.log(`whole table: ${r.rows} rows from ${resultsDir()}: ${r.files.map((f) => path.basename(f)).join(', ')}; ${loadAverage()}`);
      console.log(r.ok ? 'every saved target was met' : 'a saved target was missed (or none was saved)');
      process.exitCode = r.ok ? 0 : 1;
    },
    (err: Error) => {
      console.error(err.message);
      process.exitCode = 1;
    },
  );
}
