import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { hoverText, posOf, workspace } from './helpers';

const NOTES = path.resolve(__dirname, '../../../notes');

// Every topic the built-in notes must cover, by one of the names a reader would use.
const TOPICS = [
  'isolation spectrum', 'isolation trade-offs', 'attack surface', 'virtualisation', 'virtualization', 'hypervisor',
  'type 1 hypervisor', 'type 2 hypervisor', 'V8 isolate', 'V8', 'WebAssembly', 'workerd', 'Cloudflare Workers',
  'Spectre', 'container', 'container runtime', 'namespaces', 'cgroups', 'devices controller', 'runc', 'Docker',
  'OCI runtime', 'container hardening', 'user namespaces', 'Linux capabilities', 'AppArmor', 'SELinux',
  'seccomp profile', 'RuntimeClass', 'containerd', 'containerd shim', 'gVisor', 'user-space kernel', 'Sentry', 'runsc',
  'Gofer', 'gVisor platform', 'gVisor overhead', 'NVProxy', 'CUDA', 'Firecracker', 'microVM', 'KVM', 'VM exit',
  'hypercall', 'KVM attack surface', 'seccomp', 'jailer', 'QEMU', 'Cloud Hypervisor', 'Kata Containers', 'device model',
  'virtio', 'virtio-mmio', 'virtio-pci', 'vsock', 'serial console', 'PCI passthrough', 'PCI bus', 'VFIO', 'IOMMU',
  'SR-IOV', 'vGPU', 'Multi-Instance GPU', 'snapshot and restore', 'Firecracker snapshot', 'gVisor checkpoint', 'CRIU',
  'AWS Nitro', 'AWS Lambda', 'AWS Fargate', 'Vagrant', 'VirtualBox', 'virtual machine',
];

test('built-in notes define every listed concept, with opening lines', () => {
  const { service } = workspace({});
  for (const topic of TOPICS) {
    const def = service.index.resolve(topic);
    assert.ok(def, `no built-in concept for "${topic}"`);
    assert.ok(def.file.builtin);
    assert.ok(def.heading.summary.length > 20, `"${topic}" has no opening lines`);
  }
});

test('built-in notes have no broken links', () => {
  const { service } = workspace({});
  for (const def of service.index.concepts()) {
    for (const link of def.file.links) {
      assert.ok(service.index.resolveLink(def.file.uri, link).def, `${def.file.uri}: [[${link.target}]] is broken`);
    }
  }
});

describe('every built-in heading and alias', () => {
  const { service } = workspace({});
  const entries = service.index
    .concepts()
    .filter((d) => d.file.builtin)
    .flatMap((d) => [d.heading.name, ...d.heading.aliases].map((term) => ({ term, def: d })));

  test('the table is the whole set of built-in concepts', () => {
    assert.ok(entries.length > 250, `only ${entries.length} names`);
  });

  test('each name resolves to its own heading, never to another concept', () => {
    for (const { term, def } of entries) {
      const got = service.index.resolve(term);
      assert.equal(got?.heading, def.heading, `"${term}" resolves to ${got?.heading.name} instead of ${def.heading.name}`);
    }
  });

  test('each name hovers in running text with its heading and a definition first', () => {
    const lines = entries.map(({ term }) => `- Today: ${term} here.`);
    const { service: s, doc } = workspace({ 'table.md': ['# Table', ...lines].join('\n') });
    const d = doc('table.md');
    entries.forEach(({ term, def }, i) => {
      const text = hoverText(s.conceptSource.conceptHover(d, posOf(d, `- Today: ${term} here.`, '- Today: '.length + 1, 0)));
      assert.ok(text.startsWith(`**${def.heading.name}**`), `line ${i}: "${term}" hovers as ${text.split('\n')[0] || 'nothing'}`);
      const first = text.split('\n\n')[1]?.split('\n')[0] ?? '';
      assert.match(first, /^- \S.{30,}/, `"${term}": the hover's first paragraph is not a definition`);
      assert.ok(text.split('\n\n')[1].length <= 1501, `"${term}": hover body over the cap`);
    });
  });
});

describe('every built-in note file', () => {
  const files = readdirSync(NOTES).filter((f) => f.endsWith('.md'));

  test('ends with a Sources list naming upstream documents with versions or dates', () => {
    assert.ok(files.length >= 19);
    for (const f of files) {
      const lines = readFileSync(path.join(NOTES, f), 'utf8').trimEnd().split('\n');
      const at = lines.lastIndexOf('Sources:');
      assert.ok(at > 0, `${f}: no "Sources:" list`);
      const items = lines.slice(at + 1);
      assert.ok(items.length >= 1 && items.every((l) => /^- \S/.test(l)), `${f}: the note must end with the Sources list`);
      for (const item of items) assert.match(item, /\d/, `${f}: "${item}" names no version or date`);
    }
  });

  test('keeps the house style: one top heading, an Aliases line or bullets under each heading, links not URLs', () => {
    for (const f of files) {
      const text = readFileSync(path.join(NOTES, f), 'utf8');
      assert.equal(text.match(/^# /gm)?.length, 1, `${f}: one top-level heading`);
      assert.doesNotMatch(text, /https?:\/\//, `${f}: cite sources by name, not by URL`);
      for (const m of text.matchAll(/^#+ .*\n(.*)\n(.*)/gm)) {
        const [, a, b] = m;
        assert.ok(/^Aliases: /.test(a) ? /^- /.test(b) : /^- /.test(a), `${f}: "${m[0].split('\n')[0]}" must open with bullets`);
      }
    }
  });
});
