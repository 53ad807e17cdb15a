// The end of every bench: its verdict on each target, the load average beside the figures (so a
// noisy run can be told from a regression) and the exit code: 1 when any target was missed.
import os from 'node:os';
import { saveVerdicts } from './table-results';

export interface Verdict {
  /** The target, as a reader checks it: e.g. `hover p99 3.1 ms <= 5 ms`. */
  target: string;
  ok: boolean;
}

export function loadAverage(): string {
  const [one, five, fifteen] = os.loadavg().map((l) => l.toFixed(2));
  return `load average ${one} ${five} ${fifteen} (1/5/15 min) on ${os.cpus().length} cores`;
}

/** Prints the verdicts and sets process.exitCode; returns whether every target was met. */
export function reportTargets(bench: string, verdicts: Verdict[]): boolean {
  const missed = verdicts.filter((v) => !v.ok);
  console.log(`\n${bench}: ${verdicts.length - missed.length} of ${verdicts.length} targets met; ${loadAverage()}`);
  for (const v of missed) console.log(`  MISSED ${v.target}`);
  // For `npm run bench`'s whole table (bench/table.ts).
  saveVerdicts(bench, verdicts);
  if (verdicts.length === 0 || missed.length > 0) process.exitCode = 1;
  return verdicts.length > 0 && missed.length === 0;
}
