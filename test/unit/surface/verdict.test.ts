// The one-line verdicts and the text output, over hand-built surfaces of each kernel kind.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verdictOf } from '../../../engine/surface/verdict';
import { formatSurface } from '../../../engine/surface/format';
import type { AttackSurface } from '../../../engine/surface/types';

const base = { id: 'x-000000', runtime: 'r', devices: [], capabilities: [], namespaces: [], writableMounts: [] };

describe('verdicts', () => {
  test('container: the shared kernel and the counts', () => {
    const v = verdictOf({ ...base, isolation: 'container', kernel: { kind: 'host', release: '6.1.0', source: 'uname' }, syscalls: { reachable: 301, of: 362, source: 's' }, namespaces: ['pid', 'mnt'] });
    assert.match(v, /^shared host kernel 6\.1\.0: 301 of 362 syscalls reachable directly, no capabilities, 2 namespaces/);
  });

  test('gVisor: served by the Sentry, the host filter behind it', () => {
    const v = verdictOf({ ...base, isolation: 'gvisor', kernel: { kind: 'sentry', release: '20221219', platform: 'ptrace', source: 's' }, syscalls: { reachable: 0, of: 362, source: 's', implemented: { full: 219, partial: 49, of: 350, source: 's' }, host: { reachable: 69, of: 362, source: 's' } } });
    assert.match(v, /user-space kernel \(gVisor 20221219, ptrace\): 268 syscalls served by the Sentry, 69 host syscalls behind its filter/);
  });

  test('VM: own kernel, the interface and the device model', () => {
    const v = verdictOf({ ...base, isolation: 'microvm', kernel: { kind: 'guest', release: '6.1.0-57-amd64', source: 's' }, syscalls: { reachable: 0, of: 362, source: 's', interface: 'tcg', host: { reachable: 341, of: 362, source: 's' } }, devices: ['a', 'b'] });
    assert.match(v, /^own guest kernel 6\.1\.0-57-amd64 on TCG: no host syscalls directly; host reached only through 2 device-model entries and the VMM \(341 host syscalls/);
  });

  test('the text output names every measured part', () => {
    const s: AttackSurface = { ...base, isolation: 'container', kernel: { kind: 'host', release: '6.1.0', source: 'uname' }, syscalls: { reachable: 1, of: 2, source: 'src', conditional: ['clone'] }, devices: ['/dev/null'], writableMounts: ['/tmp (tmpfs)'], verdict: 'V', notes: ['N'] };
    const text = formatSurface(s);
    for (const want of ['verdict       V', 'kernel        host 6.1.0', '1 of 2 host syscalls', 'conditional: clone', '/dev/null', 'capabilities  none', '/tmp (tmpfs)', 'note          N']) assert.ok(text.includes(want), want);
  });
});

describe('inspect panel section', () => {
  test('the surface renders as its own escaped table', async () => {
    const { surfaceSection } = await import('../../../extension/views/inspectHtml');
    const s: AttackSurface = { ...base, isolation: 'microvm', kernel: { kind: 'guest', release: '6.1<x>', source: 's' }, syscalls: { reachable: 0, of: 362, source: 'src', interface: 'tcg' }, devices: ['virtio-mmio x24'], verdict: 'V' };
    const html = surfaceSection(s);
    assert.match(html, /data-surface="kernel">guest 6\.1&#60;x&#62;</);
    assert.match(html, /data-surface="interface">TCG</);
    assert.match(html, /data-surface="devices">virtio-mmio x24</);
    assert.match(html, /data-surface="capabilities">none</);
  });
});
