// spectrum compare: one workload at every level this host supports, measured alike.
import { EngineError } from '../../errors';
import { parseDuration } from '../args';
import { table } from '../format';
import { json, need, out, str, type VerbRun } from '../verb';

const msOf = (n?: number) => (n === undefined ? '-' : `${n} ms`);
const mibOf = (n?: number) => (n === undefined ? '-' : `${(n / (1 << 20)).toFixed(1)} MiB`);

export const run: VerbRun = async (a, cli) => {
  const e = await cli.engine();
  const specs = await e.specs(need(a, 'a spec file'), { name: str(a.flags.name) });
  if (specs.length > 1) throw new EngineError(`the file holds ${specs.length} sandboxes (${specs.map((s) => s.name).join(', ')}): pick one with --name`);
  const ctl = new AbortController();
  const onSignal = () => ctl.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const timeout = str(a.flags.timeout);
  const r = await e.compare(specs[0], {
    signal: ctl.signal,
    timeoutMs: timeout ? parseDuration(timeout) : undefined,
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
