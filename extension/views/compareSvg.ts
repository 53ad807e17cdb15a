// The Compare Across Spectrum chart as plain SVG: one panel per measure, one bar per level, the
// previous run's bar faded beside it, each level's isolation boundary under its bars. Colours are
// the theme's (CSS variables), so light, dark and high-contrast themes all read it. Pure.
import type { CompareResult, LevelResult } from '../../engine/api';

export interface Measure {
  key: 'firstOutputMs' | 'peakMemoryBytes' | 'runMs';
  title: string;
  format: (n: number) => string;
}

export const MEASURES: Measure[] = [
  { key: 'firstOutputMs', title: 'Launch to first output', format: ms },
  { key: 'peakMemoryBytes', title: 'Peak memory of the sandbox\'s processes', format: mib },
  { key: 'runMs', title: 'Workload run time', format: ms },
];

function ms(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
}

function mib(n: number): string {
  return `${(n / (1 << 20)).toFixed(1)} MiB`;
}

export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const W = 720;
const H = 250;
const TOP = 30;
const BOTTOM = 70;
const LEFT = 10;

/** One measure's panel. Levels that were skipped or failed keep their slot, marked, without a bar. */
export function measureSvg(m: Measure, current: CompareResult, previous?: CompareResult): string {
  const levels = current.levels;
  const prevOf = (l: LevelResult) => previous?.levels.find((p) => p.isolation === l.isolation);
  const values = levels.flatMap((l) => [l[m.key], prevOf(l)?.[m.key]]).filter((v): v is number => typeof v === 'number');
  const max = Math.max(1, ...values);
  const slot = (W - LEFT * 2) / Math.max(1, levels.length);
  const barW = Math.min(60, slot / 3);
  const plotH = H - TOP - BOTTOM;
  const parts: string[] = [`<text class="title" x="${LEFT}" y="18">${esc(m.title)}</text>`];
  const bar = (x: number, v: number, cls: string, label: string) => {
    const h = Math.max(1, (v / max) * plotH);
    const y = TOP + plotH - h;
    return `<rect class="${cls}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(label)}</title></rect>` + `<text class="value" x="${(x + barW / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle">${esc(m.format(v))}</text>`;
  };
  levels.forEach((l, i) => {
    const cx = LEFT + slot * i + slot / 2;
    const v = l[m.key];
    const p = prevOf(l)?.[m.key];
    if (typeof p === 'number') parts.push(bar(cx - barW - 2, p, 'bar previous', `${l.isolation}, previous run: ${m.format(p)}`));
    if (typeof v === 'number') parts.push(bar(cx + (typeof p === 'number' ? 2 : -barW / 2), v, `bar level-${l.isolation}`, `${l.isolation}: ${m.format(v)}`));
    else parts.push(`<text class="missing" x="${cx.toFixed(1)}" y="${TOP + plotH - 6}" text-anchor="middle">${esc(l.skipped ? 'not run' : l.error ? 'failed' : 'n/a')}</text>`);
    parts.push(`<text class="level" x="${cx.toFixed(1)}" y="${H - BOTTOM + 20}" text-anchor="middle">${esc(l.isolation)}${l.runtime ? ` (${esc(l.runtime)})` : ''}</text>`);
    parts.push(`<text class="boundary" x="${cx.toFixed(1)}" y="${H - BOTTOM + 38}" text-anchor="middle">${esc(l.boundary)}</text>`);
  });
  parts.push(`<line class="axis" x1="${LEFT}" x2="${W - LEFT}" y1="${TOP + plotH}" y2="${TOP + plotH}"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(m.title)}" viewBox="0 0 ${W} ${H}" width="100%" data-measure="${m.key}">${parts.join('')}</svg>`;
}

/** Theme colours only: each level its chart colour, the previous run faded, text in the editor's foreground. */
export const CHART_CSS = `
svg text { fill: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: 11px; }
svg .title { font-size: 13px; font-weight: 600; }
svg .boundary, svg .missing { fill: var(--vscode-descriptionForeground); font-size: 10px; }
svg .axis { stroke: var(--vscode-foreground); stroke-opacity: 0.4; }
svg .bar { stroke: var(--vscode-contrastBorder, transparent); stroke-width: 1; }
svg .level-isolate { fill: var(--vscode-charts-green); }
svg .level-container { fill: var(--vscode-charts-blue); }
svg .level-gvisor { fill: var(--vscode-charts-purple); }
svg .level-microvm { fill: var(--vscode-charts-orange); }
svg .level-vm { fill: var(--vscode-charts-red); }
svg .previous { fill: var(--vscode-foreground); opacity: 0.25; }
`;
