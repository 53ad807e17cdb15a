// CPU and memory over the last minutes as plain inline SVG sparklines in theme colours (the
// inspect panel runs no scripts). The history keeps only what the panel sampled while visible:
// a gap while it was hidden shows as a gap, not as invented values. Pure, unit-tested.

export interface Sample {
  at: number; // ms since the epoch
  cpuPercent?: number;
  memoryBytes?: number;
}

/** How far back the sparklines reach. */
export const WINDOW_MS = 5 * 60_000;

export class StatsHistory {
  private samples: Sample[] = [];

  constructor(private readonly windowMs = WINDOW_MS) {}

  add(s: Sample): void {
    this.samples.push(s);
    const from = s.at - this.windowMs;
    while (this.samples.length && this.samples[0].at < from) this.samples.shift();
  }

  get all(): readonly Sample[] {
    return this.samples;
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface SparklineOptions {
  /** What it shows, for the title and the data attribute (`cpu`, `memory`). */
  name: string;
  /** The right edge's time; the left edge is WINDOW_MS before it. */
  now: number;
  windowMs?: number;
  /** The top of the scale; defaults to the largest value (at least 1). */
  max?: number;
  /** The theme colour the line is drawn in (a VS Code CSS variable). */
  color: string;
  width?: number;
  height?: number;
}

/**
 * An SVG polyline per run of consecutive samples (a gap longer than three sampling periods breaks
 * the line), x by time, y by value. Samples without the value are skipped.
 */
export function sparkline(points: readonly { at: number; value: number | undefined }[], o: SparklineOptions): string {
  const w = o.width ?? 240;
  const h = o.height ?? 40;
  const windowMs = o.windowMs ?? WINDOW_MS;
  const pts = points.filter((p): p is { at: number; value: number } => typeof p.value === 'number' && Number.isFinite(p.value) && p.at >= o.now - windowMs);
  const max = o.max ?? Math.max(1, ...pts.map((p) => p.value));
  const x = (at: number) => (w * (at - (o.now - windowMs))) / windowMs;
  const y = (v: number) => h - 1 - ((h - 2) * Math.min(v, max)) / max;
  const runs: string[][] = [];
  let last: number | undefined;
  const gap = Math.max(3_000, windowMs / 100);
  for (const p of pts) {
    if (last === undefined || p.at - last > gap) runs.push([]);
    runs[runs.length - 1].push(`${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`);
    last = p.at;
  }
  const lines = runs
    .map((r) => (r.length === 1 ? `<circle cx="${r[0].split(',')[0]}" cy="${r[0].split(',')[1]}" r="1.5" style="fill: ${o.color}"/>` : `<polyline points="${r.join(' ')}" style="fill: none; stroke: ${o.color}; stroke-width: 1.5"/>`))
    .join('');
  return `<svg data-sparkline="${esc(o.name)}" data-points="${pts.length}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(o.name)} over the last ${Math.round(windowMs / 60_000)} minutes"><title>${esc(o.name)}</title><rect x="0.5" y="0.5" width="${w - 1}" height="${h - 1}" style="fill: none; stroke: var(--vscode-panel-border, var(--vscode-descriptionForeground)); stroke-opacity: 0.5"/>${lines}</svg>`;
}
