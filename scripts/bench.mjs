// `npm run bench`: runs every bench/*.bench.ts part in turn (each prints its own table of
// medians and ratios measured side by side), then writes the whole table from the figures the
// parts saved (bench/table.ts): bench-results/table.json, table.md and table.svg.
// `npm run bench -- lsp` runs the parts matching. `npm run bench -- --short`: one run of the
// container launch row and the table (a CI check that the machinery works, seconds).
// Exit code 1 when a part missed a target or failed.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSetup } from './setup.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
await ensureSetup({ e2e: false });
const short = process.argv.includes('--short');
const filter = short ? ['launch'] : process.argv.slice(2).filter((a) => !a.startsWith('--'));
const dir = path.join(root, 'bench');
const parts = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort() : [];
const failed = [];
let ran = 0;
for (const p of parts) {
  if (filter.length && !filter.some((f) => p.includes(f))) continue;
  ran++;
  console.log(`\n=== bench ${p.replace('.bench.ts', '')}`);
  const env = short ? { ...process.env, BENCH_SHORT: '1' } : process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(dir, p)], { cwd: root, stdio: 'inherit', env });
  // Each part exits 1 on a missed target (bench/report.ts) or an error.
  if (r.status !== 0) failed.push(`${p.replace('.bench.ts', '')} (${r.signal ?? `exit ${r.status}`})`);
}
if (ran === 0) {
  console.error(`no bench matches ${filter.join(' ')} (parts: ${parts.map((p) => p.replace('.bench.ts', '')).join(', ')})`);
  process.exit(2);
}
// The whole table, from whatever the parts saved (this run's and earlier runs' of other parts).
const table = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, 'table.ts')], { cwd: root, stdio: 'inherit' });
if (table.status !== 0 && table.status !== 1) failed.push(`table (${table.signal ?? `exit ${table.status}`})`);
const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`\n${ran - failed.length} of ${ran} bench parts met every target${failed.length ? `; missed or failed: ${failed.join(', ')}` : ''} (load average ${load} on ${os.cpus().length} cores)`);
process.exit(failed.length ? 1 : 0);
