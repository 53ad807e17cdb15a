// spectrum compare: one workload at every level this host supports, measured alike.
import { table } from '../format';
import { interruptSignal, json, oneSpec, out, timeoutMs, type VerbRun } from '../verb';

const msOf = (n?: number) => (n === undefined ? '-' : `${n} ms`);
const mibOf = (n?: number) => (n === undefined ? '-' : `${(n / (1 << 20)).toFixed(1)} MiB`);

export const run: VerbRun = async (a, cli) => {
  const e = await cli.engine();
  const r = await e.compare(await oneSpec(a, e), {
    signal: interruptSignal(),
    timeoutMs: timeoutMs(a),
    onProgress: (p) => p.phase === 'start' && process.stderr.write(`spectrum: ${p.level} (${p.index + 1}/${p.total})\n`),
  });
  if (a.flags.json) {
    json(r);
    return 0;
  }
  const rows = [['LEVEL', 'RUNTIME', 'FIRST OUTPUT', 'PEAK MEMORY', 'RUN TIME', 'BOUNDARY', 'NOTE']];
  for (const l of r.levels) rows.push([l.isolation, l.runtime ?? '-', msOf(l.firstOutputMs), mibOf(l.peakMemoryBytes), msOf(l.runMs), l.boundary, l.skipped ?? l.error ?? (l.exitCode ? `exit ${l.exitCode}` : '')]);
  out(table(rows));
  return r.levels.some((l) => l.error) ? 1 : 0;
};
