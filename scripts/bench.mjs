// `npm run bench`: runs every bench/*.bench.ts part in turn (each prints its own table of
// medians and ratios measured side by side). `npm run bench -- lsp` runs the parts matching.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSetup } from './setup.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
await ensureSetup({ e2e: false });
const filter = process.argv.slice(2);
const dir = path.join(root, 'bench');
const parts = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort() : [];
let failed = 0;
for (const p of parts) {
  if (filter.length && !filter.some((f) => p.includes(f))) continue;
  console.log(`\n=== bench ${p.replace('.bench.ts', '')}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(dir, p)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
