// The Compare Across Spectrum page: the three charts, a table of the figures (and why a level
// did not run), the host it ran on. No scripts, nothing from the network. Pure.
import type { CompareResult } from '../../engine/api';
import { CHART_CSS, esc, MEASURES, measureSvg } from './compareSvg';

export function renderCompare(current: CompareResult, previous?: CompareResult): string {
  const charts = MEASURES.map((m) => measureSvg(m, current, previous)).join('\n');
  const rows = current.levels
    .map((l) => {
      const cell = (v: number | undefined, f: (n: number) => string) => (v === undefined ? '' : esc(f(v)));
      const [a, b, c] = MEASURES;
      const note = l.skipped ?? l.error ?? (l.exitCode ? `exit code ${l.exitCode}` : '');
      return `<tr><th>${esc(l.isolation)}</th><td>${esc(l.boundary)}</td><td>${cell(l.firstOutputMs, a.format)}</td><td>${cell(l.peakMemoryBytes, b.format)}</td><td>${cell(l.runMs, c.format)}</td><td>${esc(note)}</td></tr>`;
    })
    .join('\n');
  const h = current.host;
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<style>
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); }
table { border-collapse: collapse; margin-top: 1em; }
th, td { text-align: left; padding: 2px 10px; border-bottom: 1px solid var(--vscode-panel-border, transparent); }
.note { color: var(--vscode-descriptionForeground); }
${CHART_CSS}
</style></head><body>
<h2>${esc(current.spec.name)} across the spectrum</h2>
<p class="note">Run ${esc(current.startedAt)} on Linux ${esc(h.kernel)}, ${h.cpus} CPUs, load ${esc(h.loadavg.join(' '))}.${previous ? ` Faded bars: the previous run (${esc(previous.startedAt)}).` : ''}</p>
${charts}
<table><tr><th>level</th><th>isolation boundary</th><th>first output</th><th>peak memory</th><th>run time</th><th>note</th></tr>
${rows}
</table>
</body></html>`;
}
