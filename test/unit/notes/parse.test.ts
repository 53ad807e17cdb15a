import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { conceptKey } from '../../../language-server/notes/conceptKey';
import { NOTES_MARKDOWN_OPTIONS, createNotesParser, liveBlockInfo } from '../../../language-server/notes/markdown';
import { parseNote } from '../../../language-server/notes/parseNote';

const parser = createNotesParser(new MarkdownIt(NOTES_MARKDOWN_OPTIONS));

describe('conceptKey', () => {
  test('case, spacing, hyphens and plurals resolve to one key', () => {
    assert.equal(conceptKey('PCI passthrough'), conceptKey('PCI Passthrough'));
    assert.equal(conceptKey('pci-passthroughs'), conceptKey('PCI passthrough'));
    assert.equal(conceptKey('Namespaces'), 'namespace');
    assert.equal(conceptKey('cgroups'), 'cgroup');
    assert.equal(conceptKey('MicroVMs'), conceptKey('microVM'));
    assert.equal(conceptKey('Type 1  hypervisors'), 'type 1 hypervisor');
    assert.equal(conceptKey('Process'), 'process');
    assert.notEqual(conceptKey('runc'), conceptKey('runsc'));
  });
});

describe('parseNote', () => {
  const text = [
    '---',
    'aliases: [Front, Matter]',
    '---',
    '# Device Model',
    'Aliases: device models, `emulated devices`',
    '- Virtual devices. See [[Firecracker]] and [[KVM#KVM Attack Surface|surface]].',
    '- Code `[[Not A Link]]` stays code.',
    '',
    '## Sub',
    'text',
    '```sh sandbox=gvisor',
    'echo [[Also Not]]',
    '```',
    '# Other',
  ].join('\n');
  const note = parseNote('file:///ws/a.md', text, parser);

  test('headings with levels, ranges, aliases (front matter on the first) and section ends', () => {
    assert.deepEqual(
      note.headings.map((h) => [h.name, h.level, h.line]),
      [
        ['Device Model', 1, 3],
        ['Sub', 2, 8],
        ['Other', 1, 13],
      ],
    );
    const dm = note.headings[0];
    assert.deepEqual(dm.aliases, ['Front', 'Matter', 'device models', 'emulated devices']);
    assert.deepEqual(dm.nameRange, { start: { line: 3, character: 2 }, end: { line: 3, character: 14 } });
    assert.equal(dm.endLine, 12);
    assert.match(dm.summary, /^- Virtual devices/);
    assert.doesNotMatch(dm.summary, /Aliases/);
  });

  test('wiki links with target, section and label ranges; none in code', () => {
    assert.equal(note.links.length, 2);
    const [a, b] = note.links;
    assert.equal(a.target, 'Firecracker');
    assert.deepEqual(a.targetRange, { start: { line: 5, character: 25 }, end: { line: 5, character: 36 } });
    assert.equal(b.target, 'KVM');
    assert.equal(b.section, 'KVM Attack Surface');
    assert.equal(b.label, 'surface');
    const line = text.split('\n')[5];
    assert.equal(line.slice(b.sectionRange!.start.character, b.sectionRange!.end.character), 'KVM Attack Surface');
  });

  test('fences and live block info', () => {
    assert.equal(note.fences.length, 1);
    assert.deepEqual(note.fences[0].live, { language: 'sh', level: 'gvisor' });
    assert.equal(note.fences[0].code, 'echo [[Also Not]]\n');
    assert.deepEqual(liveBlockInfo('js sandbox=isolate'), { language: 'js', level: 'isolate' });
    assert.equal(liveBlockInfo('sh'), undefined);
    assert.equal(liveBlockInfo('python sandbox=vm'), undefined);
  });
});
