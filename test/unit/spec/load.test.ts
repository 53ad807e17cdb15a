import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadSpecFile, loadSpecText } from '../../../engine/spec/load';
import { parseDuration, parseMemory } from '../../../engine/spec/units';

describe('loadSpecText', () => {
  test('fills defaults, converts units and resolves paths against the spec directory', () => {
    const text = [
      'name: hello',
      'isolation: gvisor',
      'image: ./rootfs',
      'command: [/bin/sh, -c, "uname -a"]',
      'mounts: [{ source: ./data, target: /data }]',
      'resources: { cpus: 1, memory: 128Mi, pids: 64 }',
      'timeout: 30s',
      '---',
      'name: edge',
      'isolation: isolate',
      'worker: ./edge.worker.js',
      'compatibilityDate: 2025-01-01',
      'env: { GREETING: hi }',
    ].join('\n');
    const { sandboxes, diagnostics } = loadSpecText(text, '/srv/specs/a.sandbox.yaml');
    assert.deepEqual(diagnostics, []);
    assert.equal(sandboxes.length, 2);
    const [g, e] = sandboxes;
    assert.equal(g.image, '/srv/specs/rootfs');
    assert.deepEqual(g.command, ['/bin/sh', '-c', 'uname -a']);
    assert.deepEqual(g.mounts, [{ source: '/srv/specs/data', target: '/data', writable: false }]);
    assert.deepEqual(g.resources, { cpus: 1, memoryBytes: 128 * 1024 * 1024, pids: 64 });
    assert.equal(g.timeoutMs, 30_000);
    assert.equal(g.network, 'none');
    assert.equal(g.readonly, true);
    assert.deepEqual(g.gvisor, { platform: 'auto' });
    assert.equal(g.kernel, 'auto');
    assert.equal(g.gpu, 'none');
    assert.deepEqual(g.source, { file: '/srv/specs/a.sandbox.yaml', document: 0 });
    assert.equal(e.worker, '/srv/specs/edge.worker.js');
    assert.equal(e.compatibilityDate, '2025-01-01');
    assert.deepEqual(e.env, { GREETING: 'hi' });
    assert.deepEqual(e.source, { file: '/srv/specs/a.sandbox.yaml', document: 1 });
  });

  test('busybox and kernel auto stay symbolic', () => {
    const { sandboxes } = loadSpecText('name: m\nisolation: microvm\nimage: busybox\nresources: { memory: 256Mi }\n', '/x/m.sandbox.yaml');
    assert.equal(sandboxes[0].image, 'busybox');
    assert.equal(sandboxes[0].kernel, 'auto');
    assert.deepEqual(sandboxes[0].microvm, { vmm: 'auto' });
  });

  test('a document with an error is not launchable; the others still are', () => {
    const { sandboxes, diagnostics } = loadSpecText('name: a\nisolation: container\nimage: Alpine:3\n---\nname: b\nisolation: container\nimage: busybox\n', '/x/a.sandbox.yaml');
    assert.deepEqual(sandboxes.map((s) => s.name), ['b']);
    assert.deepEqual(diagnostics.map((d) => d.code), ['invalid-image-reference']);
  });

  test('a YAML syntax error launches nothing', () => {
    const { sandboxes, diagnostics } = loadSpecText('name: a\nisolation: container\nimage: busybox\n---\nname: [b\n', '/x/a.sandbox.yaml');
    assert.equal(sandboxes.length, 0);
    assert.ok(diagnostics.some((d) => d.code === 'yaml-syntax' && d.severity === 'error'));
  });

  test('an empty file has no sandboxes and no diagnostics', () => {
    assert.deepEqual(loadSpecText('', '/x/e.sandbox.yaml'), { sandboxes: [], diagnostics: [] });
  });
});

describe('units', () => {
  test('memory sizes', () => {
    assert.equal(parseMemory('128Mi'), 134217728);
    assert.equal(parseMemory('1Gi'), 1073741824);
    assert.equal(parseMemory('512Ki'), 524288);
    assert.equal(parseMemory(4096), 4096);
    assert.equal(parseMemory('12MB'), undefined);
  });
  test('durations', () => {
    assert.equal(parseDuration('30s'), 30000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('2m'), 120000);
    assert.equal(parseDuration('1h'), 3600000);
    assert.equal(parseDuration('30'), undefined);
  });
});

describe('loadSpecFile', () => {
  test('reads the file, resolves relative to it and reports missing files at their value', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'spec-load-'));
    try {
      await mkdir(path.join(dir, 'data'));
      await writeFile(path.join(dir, 'ok.worker.js'), 'export default {}');
      const file = path.join(dir, 'x.sandbox.yaml');
      await writeFile(file, 'name: a\nisolation: isolate\nworker: ./ok.worker.js\n---\nname: b\nisolation: container\nimage: ./nope\nmounts: [{ source: ./data, target: /d }]\n');
      const { sandboxes, diagnostics } = await loadSpecFile(file);
      assert.deepEqual(sandboxes.map((s) => s.name), ['a']);
      assert.equal(sandboxes[0].worker, path.join(dir, 'ok.worker.js'));
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0].code, 'file-not-found');
      assert.deepEqual(diagnostics[0].range, { start: { line: 6, character: 7 }, end: { line: 6, character: 13 } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
