// Runs every test tier (unit, integration, e2e) and ends with one line
// `N passed, N failed, N skipped` over all of them. `npm test -- unit` runs one tier.
import { spawn } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSetup } from './setup.mjs';
import { nodeTestArgs } from './test-args.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tiers = {
  unit: { dir: 'test/unit', concurrency: 2 },
  integration: { dir: 'test/integration', concurrency: 1 },
  e2e: { dir: 'test/e2e', concurrency: 1, match: /\.e2e\.ts$/ },
};

function findTests(dir, match) {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const name of readdirSync(abs)) {
    const p = path.join(abs, name);
    if (statSync(p).isDirectory()) out.push(...findTests(path.join(dir, name), match));
    else if (match.test(name)) out.push(path.join(dir, name));
  }
  return out.sort();
}

function runTier(name, tier, extraEnv = {}) {
  const files = findTests(tier.dir, tier.match ?? /\.test\.ts$/);
  if (files.length === 0) {
    console.log(`[${name}] no test files`);
    return Promise.resolve({ passed: 0, failed: 0, skipped: 0, ms: 0 });
  }
  const args = nodeTestArgs({ concurrency: tier.concurrency, files });
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...extraEnv, SPECTRUM_TEST_TIER: name } });
    let summary = { passed: 0, failed: 0, skipped: 0 };
    let buf = '';
    child.stdout.on('data', (chunk) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('SUMMARY ')) summary = JSON.parse(line.slice(8));
        else process.stdout.write(`[${name}] ${line}\n`);
      }
    });
    child.on('close', (code) => {
      // A crash of the runner itself (not a test failure) must not pass silently.
      if (code !== 0 && summary.failed === 0) summary.failed = 1;
      resolve({ ...summary, ms: Date.now() - started });
    });
  });
}

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = only.length ? only : Object.keys(tiers);
for (const t of selected) {
  if (!tiers[t]) {
    console.error(`unknown tier '${t}' (known: ${Object.keys(tiers).join(', ')})`);
    process.exit(2);
  }
}

await ensureSetup({ e2e: selected.includes('e2e'), quiet: false });

const totals = { passed: 0, failed: 0, skipped: 0 };
const rows = [];
// The e2e tier shares ONE code-server (the packaged .vsix installed) across its files; its
// address reaches them in SPECTRUM_E2E_* variables.
async function startTierServer(name) {
  if (name !== 'e2e' || findTests(tiers.e2e.dir, tiers.e2e.match).length === 0) return { env: {}, stop: async () => {} };
  const { startE2eTier } = await import('./toolchain.mjs');
  const started = Date.now();
  const tier = await startE2eTier();
  console.log(`[e2e] code-server with ${path.basename(tier.vsix)} ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${tier.env.SPECTRUM_E2E_ORIGIN}`);
  const onSignal = () => tier.stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { env: tier.env, stop: async () => { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); await tier.stop(); } };
}

for (const t of selected) {
  let server;
  try {
    server = await startTierServer(t);
  } catch (e) {
    // A tier that can't start its server fails as a whole, with the reason.
    console.log(`[${t}] FAIL tier set-up: ${e?.stack ?? e}`);
    rows.push([t, { passed: 0, failed: 1, skipped: 0, ms: 0 }]);
    totals.failed += 1;
    continue;
  }
  const r = await runTier(t, tiers[t], server.env).finally(() => server.stop());
  rows.push([t, r]);
  for (const k of Object.keys(totals)) totals[k] += r[k];
}
console.log('');
for (const [t, r] of rows) {
  console.log(`tier ${t.padEnd(12)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped in ${(r.ms / 1000).toFixed(1)} s`);
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
