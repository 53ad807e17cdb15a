// Configs written by the projects that define the formats, judged as those projects judge them:
// the OCI runtime-spec's own schema test cases, Firecracker's own VM configs, and the configs
// runc, runsc and crun write with `spec`. The corpus lives beside the clone (CI puts it there);
// without it this test fails rather than passing on nothing.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { firecrackerConfigFor } from '../../../engine/drivers/firecracker';
import { createLanguageService } from '../../../language-server/service/index';
import { doc } from './helpers';

const REPO = path.resolve(__dirname, '../../..');
const CORPUS = path.resolve(REPO, '../shared/conformance');
/** Firecracker's own tests expect it to refuse these two; it boots from every other file. */
const FIRECRACKER_REFUSES = new Set(['vm_config_missing_mem_size_mib.json', 'vm_config_missing_vcpu_count.json']);

// No file system: the corpus names kernels and root filesystems that are not here.
const svc = createLanguageService();
const errors = (d: Diagnostic[]) => d.filter((x) => x.severity === 1);
const show = (d: Diagnostic[]) => d.map((x) => `${x.range.start.line + 1}:${x.range.start.character + 1} ${String(x.code)} ${x.message}`).join('\n');

interface Case {
  file: string;
  kind: 'oci' | 'firecracker';
  valid: boolean;
}

function corpus(): Case[] {
  assert.ok(existsSync(CORPUS), `the conformance corpus is missing: expected it at ${CORPUS} (beside the clone)`);
  const list = (dir: string) => readdirSync(path.join(CORPUS, dir)).filter((f) => f.endsWith('.json')).sort();
  return [
    ...list('oci/good').map((f): Case => ({ file: `oci/good/${f}`, kind: 'oci', valid: true })),
    ...list('oci/bad').map((f): Case => ({ file: `oci/bad/${f}`, kind: 'oci', valid: false })),
    ...list('firecracker').map((f): Case => ({ file: `firecracker/${f}`, kind: 'firecracker', valid: !FIRECRACKER_REFUSES.has(f) })),
  ];
}

async function judge(c: Case): Promise<Diagnostic[]> {
  const text = readFileSync(path.join(CORPUS, c.file), 'utf8');
  return errors(await svc.diagnostics(doc(c.file, text, c.kind === 'oci' ? 'oci-config' : 'firecracker')));
}

describe('conformance with the runtimes\' own cases', () => {
  test('every corpus file is judged as upstream judges it', async () => {
    const cases = corpus();
    assert.ok(cases.length >= 21, `only ${cases.length} corpus files`);
    const wrong: string[] = [];
    for (const c of cases) {
      const e = await judge(c);
      if (c.valid && e.length) wrong.push(`${c.file} should be clean:\n${show(e)}`);
      if (!c.valid && !e.length) wrong.push(`${c.file} should have an error and has none`);
    }
    console.log(`conformance: ${cases.length - wrong.length} of ${cases.length} judged as upstream`);
    assert.deepEqual(wrong, []);
  });

  test('bad OCI cases are caught at the value at fault', async () => {
    const at = async (file: string, needle: string) => {
      const text = readFileSync(path.join(CORPUS, 'oci/bad', file), 'utf8');
      const e = await judge({ file: `oci/bad/${file}`, kind: 'oci', valid: false });
      const line = text.slice(0, text.indexOf(needle)).split('\n').length - 1;
      assert.ok(e.some((x) => x.range.start.line === line), `${file}: no error on line ${line + 1}:\n${show(e)}`);
    };
    await at('linux-netdevice.json', '"name": 23');
    await at('linux-rdma.json', '"hcaHandles"');
    await at('linux-hugepage.json', '"pageSize"');
    await at('freebsd-vnet-disable.json', '"vnet"');
  });

  test('Firecracker\'s refused configs are refused for the missing field, on machine-config', async () => {
    for (const [file, field] of [['vm_config_missing_mem_size_mib.json', 'mem_size_mib'], ['vm_config_missing_vcpu_count.json', 'vcpu_count']]) {
      const text = readFileSync(path.join(CORPUS, 'firecracker', file), 'utf8');
      const e = await judge({ file: `firecracker/${file}`, kind: 'firecracker', valid: false });
      assert.deepEqual(e.map((x) => [x.code, x.message]), [['missing-key', `Missing required key "${field}".`]], file);
      assert.equal(e[0].range.start.line, text.slice(0, text.indexOf('"machine-config"')).split('\n').length - 1);
    }
  });

  test('the configs `runc spec`, `runsc spec` and `crun spec` write are clean', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'oci-spec-'));
    try {
      const tools: [string, string[]][] = [['runc', ['spec']], ['runsc', ['spec', '-bundle', '.']], ['crun', ['spec']]];
      for (const [tool, args] of tools) {
        const bundle = path.join(dir, tool);
        execFileSync('mkdir', [bundle]);
        execFileSync(tool, args, { cwd: bundle, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
        const text = readFileSync(path.join(bundle, 'config.json'), 'utf8');
        const e = errors(await svc.diagnostics(doc(`${tool}/config.json`, text)));
        assert.deepEqual(show(e), '', `${tool} spec`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the Firecracker config our driver writes is clean', async () => {
    const cfg = firecrackerConfigFor({ kernel: '/k/vmlinux', initrd: '/k/initrd.cpio', cpus: 2, memoryMiB: 256, drives: [{ id: 'data', path: '/d/data.ext4', readOnly: true }] });
    const e = errors(await svc.diagnostics(doc('vm.firecracker.json', `${JSON.stringify(cfg, null, 2)}\n`)));
    assert.deepEqual(show(e), '');
  });
});
