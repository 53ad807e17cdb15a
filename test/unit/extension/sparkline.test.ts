// The inspect panel's live CPU/memory sparklines: plain SVG, theme colours, only what was sampled.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SandboxInfo } from '../../../engine/api';
import { renderInspect, statsSection } from '../../../extension/views/inspectHtml';
import { sparkline, StatsHistory, WINDOW_MS } from '../../../extension/views/sparkline';

const NOW = Date.parse('2026-01-02T03:04:05.000Z');
const pointsOf = (svg: string) => [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1].split(' ').map((p) => p.split(',').map(Number)));

describe('sparkline', () => {
  test('x by time across the window, y by value (0 at the bottom, max at the top)', () => {
    // A 4 s window sampled every 2 s: one unbroken line.
    const svg = sparkline([{ at: NOW - 4000, value: 0 }, { at: NOW - 2000, value: 50 }, { at: NOW, value: 100 }], { name: 'cpu', now: NOW, windowMs: 4000, max: 100, color: 'var(--vscode-charts-blue)', width: 200, height: 42 });
    const [line] = pointsOf(svg);
    assert.deepEqual(line, [[0, 41], [100, 21], [200, 1]]);
    assert.match(svg, /stroke: var\(--vscode-charts-blue\)/);
    assert.match(svg, /data-sparkline="cpu" data-points="3"/);
    assert.doesNotMatch(svg, /<script|#[0-9a-f]{6}/i, 'no scripts and no fixed colours');
  });

  test('a gap (the panel was hidden) breaks the line; values above the scale are clamped', () => {
    const svg = sparkline(
      [{ at: NOW - 60_000, value: 1 }, { at: NOW - 59_000, value: 2 }, { at: NOW - 10_000, value: 500 }, { at: NOW - 9_000, value: 4 }],
      { name: 'cpu', now: NOW, max: 100, color: 'red', height: 42 },
    );
    const lines = pointsOf(svg);
    assert.equal(lines.length, 2);
    assert.equal(lines[1][0][1], 1, 'clamped to the top');
  });

  test('samples without the value, or older than the window, are left out; one point is a dot', () => {
    const svg = sparkline([{ at: NOW - WINDOW_MS - 1, value: 5 }, { at: NOW - 1000, value: undefined }, { at: NOW, value: 7 }], { name: 'memory', now: NOW, color: 'red' });
    assert.match(svg, /data-points="1"/);
    assert.match(svg, /<circle /);
    assert.equal(pointsOf(svg).length, 0);
  });
});

describe('stats history and the panel section', () => {
  test('keeps only the last WINDOW_MS of samples', () => {
    const h = new StatsHistory(10_000);
    for (let t = 0; t <= 20_000; t += 1000) h.add({ at: t, cpuPercent: t / 1000 });
    assert.equal(h.all.length, 11);
    assert.equal(h.all[0].at, 10_000);
  });

  test('the inspect panel shows CPU and memory sparklines with the latest values and the peak', () => {
    const samples = [0, 1, 2, 3].map((i) => ({ at: NOW - (3 - i) * 1000, cpuPercent: i * 10, memoryBytes: (10 + i) * 1024 * 1024 }));
    const html = statsSection(samples, NOW);
    assert.match(html, /data-sparkline="cpu" data-points="4"/);
    assert.match(html, /data-sparkline="memory" data-points="4"/);
    assert.match(html, /30\.0 %/);
    assert.match(html, /peak 13\.0 MiB/);
    assert.equal(statsSection([], NOW), '', 'nothing sampled, no section');
    const info = { id: 'a-1', name: 'a', owner: 'cli', isolation: 'container', runtime: 'runc', state: 'running', network: 'none', logPath: '/l' } as SandboxInfo;
    assert.match(renderInspect(info, new Date(NOW), undefined, samples), /data-section="stats"/);
    assert.doesNotMatch(renderInspect(info, new Date(NOW)), /data-section="stats"/);
  });
});
