// Adds up a pull's per-blob progress events into one line for the progress notification, and the
// increment (percent of the known total) VS Code's progress bar wants. Pure, unit-tested.
import type { PullProgress } from '../../engine/api';
import { formatBytes } from './imageRows';

export class PullTally {
  private readonly blobs = new Map<string, { bytes: number; total: number; cached: boolean; done: boolean }>();
  private reportedPercent = 0;

  add(p: PullProgress): void {
    this.blobs.set(p.digest, { bytes: p.bytes, total: p.total, cached: p.cached, done: p.done });
  }

  get bytes(): number {
    let n = 0;
    for (const b of this.blobs.values()) n += b.cached ? 0 : b.bytes;
    return n;
  }

  get total(): number {
    let n = 0;
    for (const b of this.blobs.values()) n += b.total;
    return n;
  }

  /** `3 of 5 blobs · 12.0 MiB of 40.2 MiB` (cached blobs count as done, not as bytes fetched). */
  message(): string {
    const all = [...this.blobs.values()];
    const done = all.filter((b) => b.done).length;
    const cached = all.filter((b) => b.cached).length;
    const fetched = all.filter((b) => !b.cached).reduce((n, b) => n + b.total, 0);
    return `${done} of ${all.length} blobs${cached ? ` (${cached} cached)` : ''} · ${formatBytes(this.bytes)} of ${formatBytes(fetched)}`;
  }

  /** The growth of the fetched share since the last call, in percent (VS Code adds increments up). */
  increment(): number {
    const fetched = [...this.blobs.values()].filter((b) => !b.cached).reduce((n, b) => n + b.total, 0);
    const percent = fetched > 0 ? Math.min(100, (100 * this.bytes) / fetched) : 0;
    const step = Math.max(0, percent - this.reportedPercent);
    this.reportedPercent = Math.max(this.reportedPercent, percent);
    return step;
  }
}
