// `npm run bench`: runs every bench/*.bench.ts part in turn (each prints its own table of
// medians and ratios measured side by side). `npm run bench -- lsp` runs the parts matching.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSetup } from './setup.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
await ensureSetup({ e2e: false });
const filter = process.argv.slice(2);
const dir = path.join(root, 'bench');
const parts = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort() : [];
const failed = [];
let ran = 0;
for (const p of parts) {
  if (filter.length && !filter.some((f) => p.includes(f))) continue;
  ran++;
  console.log(`\n=== bench ${p.replace('.bench.ts', '')}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(dir, p)], { cwd: root, stdio: 'inherit' });
  // Each part exits 1 on a missed target (bench/report.ts) or an error.
  if (r.status !== 0) failed.push(`${p.replace('.bench.ts', '')} (${r.signal ?? `exit ${r.status}`})`);
}
if (ran === 0) {
  console.error(`no bench matches ${filter.join(' ')} (parts: ${parts.map((p) => p.replace('.bench.ts', '')).join(', ')})`);
  process.exit(2);
}
const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`\n${ran - failed.length} of ${ran} bench parts met every target${failed.length ? `; missed or failed: ${failed.join(', ')}` : ''} (load average ${load} on ${os.cpus().length} cores)`);
process.exit(failed.length ? 1 : 0);
