// The Compare Across Spectrum chart and page, from fixed results: bars scale to the largest
// value, the previous run is drawn faded, skipped levels keep their slot, colours are theme
// variables, and every name is escaped.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MEASURES, measureSvg, CHART_CSS } from '../../../extension/views/compareSvg';
import { renderCompare } from '../../../extension/views/compareHtml';
import { resultsFile } from '../../../extension/commands/compareResultsFile';
import type { CompareResult } from '../../../engine/api';

const run = (first: number[], startedAt = '2026-12-02T03:00:00Z'): CompareResult => ({
  spec: { file: '/w/app.sandbox.yaml', name: 'app<1>' },
  startedAt,
  host: { kernel: '6.1.0', cpus: 2, loadavg: [0.5, 0.4, 0.3] },
  levels: [
    { isolation: 'isolate', boundary: 'V8 isolate (no syscalls)', skipped: 'the workload is not a JS/Wasm worker' },
    { isolation: 'container', runtime: 'runc', boundary: 'namespaces + seccomp, shared kernel', firstOutputMs: first[0], peakMemoryBytes: 2 << 20, runMs: 10, exitCode: 0 },
    { isolation: 'gvisor', runtime: 'runsc', boundary: 'gVisor Sentry (user-space kernel)', firstOutputMs: first[1], peakMemoryBytes: 40 << 20, runMs: 30, exitCode: 0 },
  ],
});

const bars = (svg: string) => [...svg.matchAll(/<rect class="bar ([^"]+)" x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)"/g)].map((m) => ({ cls: m[1], y: Number(m[2]), h: Number(m[3]) }));

describe('compare chart', () => {
  test('one bar per level that ran, scaled to the largest, the boundary under each slot', () => {
    const svg = measureSvg(MEASURES[0], run([50, 200]));
    const b = bars(svg);
    assert.deepEqual(b.map((x) => x.cls), ['level-container', 'level-gvisor']);
    assert.ok(Math.abs(b[1].h / b[0].h - 4) < 0.01, `heights ${b[0].h} ${b[1].h}`);
    assert.ok(svg.includes('>200 ms<') && svg.includes('>50 ms<'));
    for (const boundary of ['V8 isolate (no syscalls)', 'namespaces + seccomp, shared kernel', 'gVisor Sentry (user-space kernel)']) assert.ok(svg.includes(boundary), boundary);
    assert.match(svg, /class="missing"[^>]*>not run</);
  });

  test('the previous run is drawn faded beside each bar and counts in the scale', () => {
    const svg = measureSvg(MEASURES[0], run([50, 200]), run([400, 100], '2026-12-01T00:00:00Z'));
    const b = bars(svg);
    assert.deepEqual(b.map((x) => x.cls), ['previous', 'level-container', 'previous', 'level-gvisor']);
    // The tallest bar is the previous container run (400 ms): it sets the scale.
    assert.ok(b[0].h > b[3].h && Math.abs(b[0].h / b[3].h - 2) < 0.01);
    assert.match(CHART_CSS, /\.previous \{[^}]*opacity: 0\.25/);
  });

  test('colours come from the theme only', () => {
    const colours = [...CHART_CSS.matchAll(/(?:fill|stroke): ([^;]+);/g)].map((m) => m[1]);
    assert.ok(colours.length >= 7);
    for (const c of colours) assert.match(c, /^var\(--vscode-[a-zA-Z-]+(, transparent)?\)$/, c);
  });

  test('the page: escaped names, a table row per level, no scripts or remote content', () => {
    const html = renderCompare(run([50, 200]));
    assert.ok(html.includes('app&#60;1&#62; across the spectrum') && !html.includes('app<1>'));
    assert.equal((html.match(/<svg /g) ?? []).length, 3);
    assert.equal((html.match(/<tr><th>(isolate|container|gvisor)</g) ?? []).length, 3);
    assert.ok(html.includes('the workload is not a JS/Wasm worker'));
    assert.ok(!/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/.test(html), 'no scripts, no network');
    assert.match(html, /default-src 'none'/);
  });

  test('results are saved beside the spec, one file per sandbox', () => {
    assert.equal(resultsFile('/w/app.sandbox.yaml', 'web'), '/w/app.web.compare.json');
    assert.equal(resultsFile('/w/x.yml', 'a'), '/w/x.a.compare.json');
  });
});
