// `npm run bench -- --short` (scripts/bench.mjs) in the integration tier, so the whole-table
// machinery can't rot: one real container launch through the engine and through runc directly,
// then bench-results' table.json, table.md and table.svg, and an exit code that says whether the
// saved targets held (on a loaded CI machine they may not: the test checks that they agree).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../engine/sandbox-env';
import type { BenchFile } from '../../../bench/table-results';

test('bench --short writes the whole table (JSON, Markdown, SVG) and exits by the targets', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-bench-results-'));
  try {
    const started = Date.now();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bench.mjs'), '--short'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BENCH_RESULTS_DIR: dir }, timeout: 180_000 });
    const seconds = (Date.now() - started) / 1000;
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status} ${r.signal ?? ''}\n${r.stdout}\n${r.stderr}`);
    const table = JSON.parse(readFileSync(path.join(dir, 'table.json'), 'utf8')) as { machine: { accelerator: string; runtimes: Record<string, string>; cores: number }; parts: BenchFile[] };
    assert.match(table.machine.accelerator, /^(kvm|tcg)/);
    assert.match(table.machine.runtimes.runc, /^\d/, 'runc version');
    const launch = table.parts.find((p) => p.bench === 'launch');
    assert.ok(launch, JSON.stringify(table.parts.map((p) => p.bench)));
    const first = launch.rows.find((row) => row.level === 'container' && row.what.startsWith('launch to first output'));
    assert.ok(first && first.value > 0 && first.baseline && first.baseline.value > 0, JSON.stringify(launch.rows));
    assert.ok(launch.rows.some((row) => row.level === 'container' && row.what.startsWith('tear-down') && row.value > 0));
    assert.equal(launch.verdicts.length, 1);
    // The exit code is the targets' verdict.
    assert.equal(r.status, launch.verdicts.every((v) => v.ok) ? 0 : 1, r.stdout);
    const md = readFileSync(path.join(dir, 'table.md'), 'utf8');
    assert.match(md, /\| launch \| container \| launch to first output/);
    assert.match(md, /accelerator \*\*(kvm|tcg)/);
    const svg = readFileSync(path.join(dir, 'table.svg'), 'utf8');
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok((svg.match(/<rect /g) ?? []).length >= 2);
    console.log(`bench --short took ${seconds.toFixed(1)} s (load ${os.loadavg()[0].toFixed(1)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
