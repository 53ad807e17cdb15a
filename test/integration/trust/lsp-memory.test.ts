// The language server's memory, short mode (issue 12, soak): the real dist/server.js through
// 2300 edit/hover/completion cycles on specs and notes (bench/lspMemoryRun.ts); after warm-up
// its RSS must stay flat. Warm-up is long: the server's bounded caches (16 parsed documents,
// concept keys) and the JIT fill over ~1250 cycles (heap after a forced GC: 12 -> 27 MiB, then
// flat to 3000). bench/lsp-memory.bench.ts runs the long curve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt, ROOT } from '../engine/sandbox-env';
import { lspMemoryCurve } from '../../../bench/lspMemoryRun';

test('language server heap (after GC) and RSS are flat over 1000 editing cycles after a 1300-cycle warm-up', { timeout: 300_000 }, async () => {
  ensureBuilt();
  const curve = await lspMemoryCurve(ROOT, { cycles: 2300, warmup: 1300, every: 100 });
  const show = (xs: number[]) => xs.map((m) => m.toFixed(1)).join(' ');
  process.stdout.write(`# lsp RSS MiB ${show(curve.rssMiB)} (growth ${curve.growth.toFixed(1)}); heap after GC MiB ${show(curve.heapMiB)} (growth ${curve.heapGrowth.toFixed(2)}); ${curve.seconds.toFixed(0)} s\n`);
  assert.equal(curve.heapMiB.length, 10);
  assert.ok(curve.heapMiB.every((m) => m > 0), 'every heap sample came back');
  // The heap after a full GC holds no garbage: a leak of 1 KiB a cycle would add ~0.7 MiB
  // between the quarters compared here. RSS only catches gross growth (GC timing moves it).
  assert.ok(curve.heapGrowth < 0.5, `the server's heap after GC grew ${curve.heapGrowth.toFixed(2)} MiB (${show(curve.heapMiB)})`);
  assert.ok(curve.growth < 15, `the server's RSS grew ${curve.growth.toFixed(1)} MiB (${show(curve.rssMiB)})`);
});
