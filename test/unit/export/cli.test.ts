// `spectrum export --kubernetes FILE [--name N] [-o OUT]`: argument handling, and the verb run
// end to end through the CLI entry (files written, refusals write nothing).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from '../../../engine/cli/args';
import { exportPaths, parseRuntimeClasses } from '../../../engine/cli/verbs/export';
import { goldenSpec } from './fixtures';

const ROOT = path.join(__dirname, '..', '..', '..');
const spectrum = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'engine/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('spectrum export: arguments', () => {
  test('the spec and the output, in either order', () => {
    assert.deepEqual(exportPaths(parseArgs(['export', '--kubernetes', 'a.sandbox.yaml', '-o', 'out.yaml'])), { file: 'a.sandbox.yaml', output: 'out.yaml' });
    assert.deepEqual(exportPaths(parseArgs(['export', '-o', 'out.yaml', '--kubernetes', 'a.sandbox.yaml'])), { file: 'a.sandbox.yaml', output: 'out.yaml' });
    assert.deepEqual(exportPaths(parseArgs(['export', '--kubernetes=spec.yaml', '--out=k.yaml'])), { file: 'spec.yaml', output: 'k.yaml' });
    assert.deepEqual(exportPaths(parseArgs(['export', '--kubernetes', 'a.sandbox.yaml'])), { file: 'a.sandbox.yaml', output: undefined });
  });
  test('bad arguments are clear errors', () => {
    assert.throws(() => exportPaths(parseArgs(['export', '--kubernetes'])), /missing a spec file/);
    assert.throws(() => exportPaths(parseArgs(['export', '--kubernetes', 'a.sandbox.yaml', '-o'])), /--out needs a value/);
    assert.throws(() => exportPaths(parseArgs(['export', '--kubernetes', 'a.sandbox.yaml', 'b.yaml'])), /unexpected argument b.yaml/);
    assert.throws(() => exportPaths(parseArgs(['export', '--kubernetes=a.yaml', '-o', 'b.sandbox.yaml'])), /refusing to write manifests over a spec/);
  });
  test('--runtime-classes', () => {
    assert.deepEqual(parseRuntimeClasses('gvisor=gvisor-systrap,microvm=kata-clh'), { gvisor: 'gvisor-systrap', microvm: 'kata-clh' });
    assert.deepEqual(parseRuntimeClasses(undefined), {});
    assert.throws(() => parseRuntimeClasses('vmm=x'), /not LEVEL=NAME/);
    assert.throws(() => parseRuntimeClasses('gvisor=Bad_Name'), /not LEVEL=NAME/);
  });
});

describe('spectrum export: the verb', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'spectrum-export-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('-o writes the workloads and the RuntimeClasses beside them', async () => {
    const out = path.join(dir, 'report.k8s.yaml');
    const r = spectrum('export', '--kubernetes', goldenSpec('gvisor'), '-o', out, '--runtime-classes=gvisor=gvisor-systrap');
    assert.equal(r.status, 0, r.stderr);
    assert.match(await readFile(out, 'utf8'), /kind: Job[\s\S]*runtimeClassName: gvisor-systrap/);
    assert.match(await readFile(path.join(dir, 'report.k8s.runtimeclasses.yaml'), 'utf8'), /kind: RuntimeClass[\s\S]*name: gvisor-systrap/);
  });

  test('without -o, everything on stdout; warnings on stderr', () => {
    const r = spectrum('export', '--kubernetes', goldenSpec('microvm'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /runtimeClassName: kata-fc[\s\S]*kind: RuntimeClass/);
    assert.match(r.stderr, /warning: hello-microvm: image: busybox means/);
  });

  test('a sandbox with no Kubernetes equivalent: exit 1, the reason, nothing written', async () => {
    const spec = path.join(dir, 'edge.sandbox.yaml');
    await writeFile(spec, 'name: edge\nisolation: isolate\nworker: ./w.js\n');
    await writeFile(path.join(dir, 'w.js'), 'export default { fetch() { return new Response("hi"); } };\n');
    const out = path.join(dir, 'edge.k8s.yaml');
    const r = spectrum('export', '--kubernetes', spec, '-o', out);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /error: edge: isolation: isolate has no Kubernetes equivalent/);
    assert.equal(existsSync(out), false);
  });

  test('an existing file that is not an earlier export is never overwritten', async () => {
    const mine = path.join(dir, 'notes.yaml');
    await writeFile(mine, 'mine: true\n');
    const r = spectrum('export', '--kubernetes', goldenSpec('vm'), '-o', mine);
    assert.equal(r.status, 125);
    assert.match(r.stderr, /not an earlier export: refusing to overwrite/);
    assert.equal(await readFile(mine, 'utf8'), 'mine: true\n');
    const again = path.join(dir, 'again.yaml');
    for (let i = 0; i < 2; i++) assert.equal(spectrum('export', '--kubernetes', goldenSpec('vm'), '-o', again).status, 0, 'an earlier export is replaced');
  });

  test('--name picks one sandbox; an unknown name is an engine error', () => {
    assert.equal(spectrum('export', '--kubernetes', goldenSpec('vm'), '--name', 'train').status, 0);
    const r = spectrum('export', '--kubernetes', goldenSpec('vm'), '--name', 'nope');
    assert.equal(r.status, 125);
    assert.match(r.stderr, /no sandbox named 'nope'/);
  });
});
