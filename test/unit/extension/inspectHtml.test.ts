import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import type { SandboxInfo } from '../../../engine/api';
import { renderInspect } from '../../../extension/views/inspectHtml';

// The panel reads the clock for the uptime: every test runs at this frozen instant, so the
// figure can't move on a slow machine.
const NOW = Date.parse('2026-01-02T03:04:05.000Z');

const info: SandboxInfo = {
  id: 'web-abc123',
  name: 'web',
  owner: 'window:42',
  isolation: 'container',
  runtime: 'runc',
  runtimeVersion: '1.1.5',
  state: 'running',
  pid: 1234,
  startedAt: new Date(NOW - 5_000).toISOString(),
  memoryBytes: 12 * 1024 * 1024,
  cpuPercent: 3.25,
  network: 'none',
  logPath: '/state/web-abc123/output.log',
  extra: { platform: '<ptrace>' },
};

describe('renderInspect', () => {
  before(() => mock.timers.enable({ apis: ['Date'], now: NOW }));
  after(() => mock.timers.reset());

  test('shows each known field in its own cell', () => {
    const html = renderInspect(info, new Date(NOW));
    assert.match(html, /<td data-field="state">running<\/td>/);
    assert.match(html, /<td data-field="runtime">runc 1\.1\.5<\/td>/);
    assert.match(html, /<td data-field="memory">12\.0 MiB<\/td>/);
    assert.match(html, /<td data-field="CPU">3\.3 %<\/td>/);
    assert.match(html, /<td data-field="uptime">5s<\/td>/);
  });

  test('escapes values and allows no scripts', () => {
    const html = renderInspect(info, new Date(NOW));
    assert.match(html, /&#60;ptrace&#62;/);
    assert.doesNotMatch(html, /<ptrace>/);
    assert.match(html, /default-src 'none'/);
  });

  test('leaves out fields a sandbox does not have', () => {
    const html = renderInspect({ ...info, url: undefined, exitCode: undefined }, new Date(NOW));
    assert.doesNotMatch(html, /data-field="URL"/);
    assert.doesNotMatch(html, /data-field="exit code"/);
  });
});
