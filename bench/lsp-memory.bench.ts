// The language server's RSS curve over a long editing session: BENCH_LSP_CYCLES (default 5000)
// cycles of spec and note edits, hovers and completions against the real dist/server.js, RSS
// printed every 250 cycles after a 1500-cycle warm-up (the server's bounded caches and the JIT
// fill over ~1250 cycles). Target: the last quarter's median RSS
// within 10 MiB of the first quarter's (allocator and JIT noise), and the heap in use after a
// forced full GC within 1 MiB: no growth after warm-up.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { lspMemoryCurve } from './lspMemoryRun';
import { loadAverage, reportTargets } from './report';

const ROOT = path.resolve(__dirname, '..');
const CYCLES = Number(process.env.BENCH_LSP_CYCLES ?? 5000);
const GROWTH_MIB = 10;
// The heap after a full GC has no garbage in it: 1 MiB over 3500 cycles is 300 bytes a cycle.
const HEAP_GROWTH_MIB = 1;

async function main(): Promise<void> {
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('build failed');
  console.log(`lsp memory: ${CYCLES} cycles (spec edit + hover + completion, note edit + hover + completion; a fresh document opened and closed every 10); ${loadAverage()}`);
  const curve = await lspMemoryCurve(ROOT, {
    cycles: CYCLES,
    warmup: Math.min(1500, Math.floor(CYCLES / 3)),
    every: 250,
    onSample: (i, rss, heap) => console.log(`  cycle ${String(i).padStart(6)}: server RSS ${rss.toFixed(1)} MiB, heap after GC ${heap.toFixed(1)} MiB`),
  });
  console.log(`RSS first quarter ${curve.early.toFixed(1)} MiB, last quarter ${curve.late.toFixed(1)} MiB: growth ${curve.growth.toFixed(1)} MiB; heap after GC growth ${curve.heapGrowth.toFixed(2)} MiB; ${curve.seconds.toFixed(0)} s`);
  reportTargets('lsp memory bench', [
    { target: `RSS growth after warm-up ${curve.growth.toFixed(1)} MiB <= ${GROWTH_MIB} MiB`, ok: curve.growth <= GROWTH_MIB },
    { target: `heap-after-GC growth after warm-up ${curve.heapGrowth.toFixed(2)} MiB <= ${HEAP_GROWTH_MIB} MiB`, ok: curve.heapGrowth <= HEAP_GROWTH_MIB },
  ]);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
