import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { ConceptIndex, readBuiltinConcepts } from '../../../extension/preview/conceptIndex';
import { extendMarkdownIt } from '../../../extension/preview/plugin';
import { parseSpectrumLevels } from '../../../extension/preview/spectrumSvg';

const NOTES = path.resolve(__dirname, '../../../notes');
const builtins = readBuiltinConcepts(NOTES);

function render(src: string, index = new ConceptIndex(builtins)): string {
  return extendMarkdownIt(new MarkdownIt({ html: true }), index).render(src);
}

describe('preview plugin', () => {
  test('wiki links render as links to the concept heading; broken ones are marked', () => {
    const html = render('See [[PCI Passthrough]], [[kvm#KVM Attack Surface|the surface]] and [[Nope]].');
    assert.match(html, /<a class="spectrum-wikilink" href="file:[^"]*\/notes\/pci-passthrough\.md#L1"[^>]*>PCI Passthrough<\/a>/);
    const surfaceLine = readFileSync(path.join(NOTES, 'kvm.md'), 'utf8').split('\n').indexOf('## KVM Attack Surface') + 1;
    assert.ok(surfaceLine > 0);
    assert.match(html, new RegExp(`href="[^"]*/notes/kvm\\.md#L${surfaceLine}"[^>]*>the surface</a>`));
    assert.match(html, /<span class="spectrum-wikilink broken" title="No note defines &quot;Nope&quot;"[^>]*>Nope<\/span>/);
  });

  test('concept terms get a tooltip, once per document, never in headings, code or links', () => {
    const html = render('# gVisor\n\nWe use gVisor and runsc. gVisor again. `KVM` and [KVM](x).\n');
    assert.match(html, /<h1>gVisor<\/h1>/);
    assert.match(html, /<span class="spectrum-concept" title="gVisor: • An application kernel[^"]*"[^>]*>gVisor<\/span>/);
    assert.equal(html.match(/spectrum-concept/g)?.length, 2); // gVisor once, runsc once
    assert.match(html, /<code>KVM<\/code>/);
    assert.match(html, /<a href="x">KVM<\/a>/);
  });

  test('workspace concepts pushed by the server override and extend the built-in ones', () => {
    const index = new ConceptIndex(builtins);
    let changed = 0;
    index.onDidChange(() => changed++);
    index.apply({
      full: true,
      notes: [
        { uri: 'file:///ws/lab.md', concepts: [{ name: 'Lab Box', aliases: ['the lab'], uri: 'file:///ws/lab.md', line: 3, summary: '- Our test machine.', hoverable: true }] },
        { uri: 'file:///ws/gone.md', concepts: [{ name: 'Gone Soon', aliases: [], uri: 'file:///ws/gone.md', line: 0, summary: '- x', hoverable: true }] },
      ],
    });
    index.apply({
      full: false,
      notes: [
        { uri: 'file:///ws/kvm.md', concepts: [{ name: 'KVM', aliases: [], uri: 'file:///ws/kvm.md', line: 0, summary: '- Mine.', hoverable: true }] },
        { uri: 'file:///ws/gone.md', concepts: [] },
      ],
    });
    assert.equal(changed, 2);
    assert.equal(index.resolve('Gone Soon'), undefined);
    const html = render('Ask [[lab box]] about the lab and [[KVM]].', index);
    assert.match(html, /href="file:\/\/\/ws\/lab\.md#L4"/);
    assert.match(html, /href="file:\/\/\/ws\/kvm\.md#L1"/);
    assert.match(html, /title="Lab Box: • Our test machine\."/);
  });

  test('a spectrum block renders an SVG ladder highlighting the levels it lists', () => {
    const html = render('```spectrum\ngvisor, microVM\nbogus\n```\n\n```sh\nls\n```\n');
    assert.match(html, /<svg class="spectrum-ladder"/);
    assert.equal(html.match(/<g class="spectrum-rung/g)?.length, 5);
    assert.deepEqual([...html.matchAll(/spectrum-rung highlighted" data-level="(\w+)"/g)].map((m) => m[1]), ['gvisor', 'microvm']);
    assert.match(html, /Not a level: bogus/);
    assert.match(html, /<pre><code class="language-sh">ls\n<\/code><\/pre>/);
    assert.deepEqual([...parseSpectrumLevels('V8 isolate\nfull VM, runc').levels].sort(), ['container', 'isolate', 'vm']);
  });
});
