import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CompletionList, Location, WorkspaceEdit, WorkspaceSymbol } from 'vscode-languageserver-types';
import { RUN_BLOCK_COMMAND } from '../../../language-server/protocol';
import { ROOT, hoverText, posOf, workspace } from './helpers';

const FILES = {
  'gpu.md': [
    '# GPU Sandboxing',
    'Aliases: gpu sandbox, accelerator jail',
    '- Compare [[PCI Passthrough]] with [[nvproxy]] and [[My Setup#Usage]].',
    '- Broken: [[Missing Thing]] and [[My Setup#Nowhere]].',
    '- PCI passthrough gives a VM the whole card.',
    '',
    '```sh sandbox=gvisor',
    'uname -a',
    '```',
    '',
    '```js sandbox=isolate',
    'console.log(1)',
    '```',
    '',
    '```sh',
    'echo never runs',
    '```',
  ].join('\n'),
  'my-setup.md': ['# My Setup', '- Our lab machine.', '', '## Usage', '- Run things. See [[GPU Sandboxing]].', '', '## Plain Heading', '- nothing links here'].join('\n'),
  'kvm.md': ['# KVM', '- Our own notes on KVM: extends the built-in one.'].join('\n'),
  'other.md': ['# Other', 'Usage, Plain Heading and gpu sandbox in text. See [[my setup]] and [[GPU sandboxing#]].'].join('\n'),
  'README.md': '# Readme\n[[Nowhere At All]]\n',
  'hello.sandbox.yaml': 'name: hello\nisolation: gvisor\nmicrovm: { vmm: firecracker }\n',
  'edge.sandbox.yaml': 'name: edge\nisolation: isolate\ngvisor: { platform: auto }\n',
  'vm_config.json': '{ "boot-source": {}, "vsock": { "guest_cid": 3 } }\n',
  'config.json': '{ "linux": { "namespaces": [], "seccomp": {} } }\n',
};

describe('hover', () => {
  const { service, doc } = workspace(FILES);
  const hover = (name: string, needle: string, offset = 1, nth = 0): string =>
    hoverText(service.conceptSource.conceptHover(doc(name), posOf(doc(name), needle, offset, nth)));

  test('plain text "PCI passthrough" in a note shows the built-in definition', () => {
    const text = hover('gpu.md', 'PCI passthrough gives', 5);
    assert.match(text, /\*\*PCI Passthrough\*\*/);
    assert.match(text, /real PCI device/);
    assert.match(text, /Built-in note \[pci-passthrough\.md\]/);
  });

  test('a wiki link hovers its target, a section link its section', () => {
    assert.match(hover('gpu.md', '[[nvproxy]]', 3), /\*\*NVProxy\*\*/);
    const sec = hover('gpu.md', '[[My Setup#Usage]]', 12);
    assert.match(sec, /My Setup › Usage/);
    assert.match(sec, /Run things/);
    assert.match(sec, /Defined in \[my-setup\.md\]/);
  });

  test('ordinary headings do not hover; aliased or linked ones do', () => {
    assert.equal(hover('other.md', 'Plain Heading'), '');
    assert.equal(hover('my-setup.md', 'Plain Heading'), '', 'not even on its own heading line');
    assert.match(hover('my-setup.md', 'Usage'), /Usage/);
    assert.match(hover('other.md', 'Usage'), /Usage/); // linked via [[My Setup#Usage]]
    assert.match(hover('other.md', 'gpu sandbox', 2), /GPU Sandboxing/); // alias
  });

  test('concept terms hover in sandbox specs', () => {
    assert.match(hover('hello.sandbox.yaml', 'gvisor', 2), /\*\*gVisor\*\*/);
    assert.match(hover('hello.sandbox.yaml', 'firecracker', 2), /\*\*Firecracker\*\*/);
    assert.equal(hover('hello.sandbox.yaml', 'name'), '');
    // Ordinary words in prose, exact names in a spec.
    assert.match(hover('edge.sandbox.yaml', 'isolate', 2), /\*\*V8 Isolate\*\*/);
    assert.match(hover('edge.sandbox.yaml', 'platform', 2), /\*\*gVisor Platform\*\*/);
    assert.equal(hover('edge.sandbox.yaml', 'auto', 1), '');
  });

  test('concept terms hover in Firecracker and OCI configs', () => {
    assert.match(hover('vm_config.json', 'vsock', 2), /\*\*Vsock\*\*/);
    assert.match(hover('config.json', 'namespaces', 2), /\*\*Namespaces\*\*/);
    assert.match(hover('config.json', 'seccomp', 2), /\*\*Seccomp\*\*/);
    assert.equal(hover('vm_config.json', 'guest_cid', 2), '');
  });

  test('a user note on a built-in concept overrides it and still cites the built-in', () => {
    const kvm = hoverText(service.conceptSource.conceptHover(doc('kvm.md'), posOf(doc('kvm.md'), 'on KVM', 4)));
    assert.match(kvm, /Our own notes/);
    assert.match(kvm, /Defined in \[kvm\.md\]/);
    assert.match(kvm, /Built-in note \[kvm\.md\]/);
  });
});

describe('links', () => {
  const { service, doc } = workspace(FILES);
  const ds = service.documentService;

  test('definition of a wiki link goes to its note, of a section link to the section', async () => {
    const d = (await ds.definition!(doc('gpu.md'), posOf(doc('gpu.md'), '[[My Setup#Usage]]', 3))) as Location[];
    assert.deepEqual(d[0], { uri: `${ROOT}/my-setup.md`, range: { start: { line: 3, character: 3 }, end: { line: 3, character: 8 } } });
    const p = (await ds.definition!(doc('gpu.md'), posOf(doc('gpu.md'), '[[PCI Passthrough]]', 3))) as Location[];
    assert.match(p[0].uri, /notes\/pci-passthrough\.md$/);
  });

  test('references are backlinks across the workspace (case and file-name variants included)', async () => {
    const refs = await ds.references!(doc('my-setup.md'), { line: 0, character: 3 }, true);
    const where = refs.map((r) => `${r.uri.slice(ROOT.length + 1)}:${r.range.start.line}`).sort();
    assert.deepEqual(where, ['gpu.md:2', 'gpu.md:3', 'my-setup.md:0', 'other.md:1']);
  });

  test('completion inside [[ lists concepts, and sections after #', async () => {
    const d = doc('other.md');
    const list = (await ds.completion!(d, posOf(d, '[[my setup]]', 2))) as CompletionList;
    const labels = list.items.map((i) => i.label);
    assert.ok(labels.includes('PCI Passthrough'));
    assert.ok(labels.includes('My Setup'));
    const at = posOf(d, '[[my setup]]', 2);
    assert.deepEqual(list.itemDefaults?.editRange, { start: at, end: { line: at.line, character: at.character + 'my setup'.length } });
    const sec = (await ds.completion!(d, posOf(d, '[[GPU sandboxing#]]', 17))) as CompletionList;
    assert.deepEqual(sec.items, []);
    const mine = (await ds.completion!(doc('gpu.md'), posOf(doc('gpu.md'), '[[My Setup#Usage]]', 11))) as CompletionList;
    assert.deepEqual(mine.items.map((i) => i.label).sort(), ['Plain Heading', 'Usage']);
    assert.equal(await ds.completion!(d, { line: 1, character: 3 }), null);
  });

  test('rename a heading updates every link naming it, in other files too', async () => {
    const edit = (await ds.rename!(doc('my-setup.md'), { line: 0, character: 4 }, 'Lab Setup')) as WorkspaceEdit;
    const changes = edit.changes!;
    assert.deepEqual(Object.keys(changes).sort(), [`${ROOT}/gpu.md`, `${ROOT}/my-setup.md`, `${ROOT}/other.md`]);
    assert.equal(changes[`${ROOT}/gpu.md`].length, 2);
    assert.ok(changes[`${ROOT}/gpu.md`].every((e) => e.newText === 'Lab Setup'));
    const o = changes[`${ROOT}/other.md`][0];
    assert.equal(doc('other.md').getText(o.range), 'my setup');
    const sec = (await ds.rename!(doc('my-setup.md'), { line: 3, character: 4 }, 'How To')) as WorkspaceEdit;
    const g = sec.changes![`${ROOT}/gpu.md`];
    assert.equal(g.length, 1);
    assert.equal(doc('gpu.md').getText(g[0].range), 'Usage');
    await assert.rejects(async () => ds.rename!(doc('gpu.md'), posOf(doc('gpu.md'), '[[nvproxy]]', 3), 'X'), /built-in/);
  });

  test('broken links and sections are diagnosed; the quick fix creates the note', async () => {
    const diags = await ds.diagnostics!(doc('gpu.md'));
    const byCode = diags.map((d) => `${d.code}:${doc('gpu.md').getText(d.range)}`);
    assert.deepEqual(byCode, ['broken-link:Missing Thing', 'broken-section:Nowhere']);
    const actions = await ds.codeActions!(doc('gpu.md'), diags[0].range, { diagnostics: diags });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].title, 'Create note "Missing Thing"');
    const changes = actions[0].edit!.documentChanges!;
    assert.deepEqual(changes[0], { kind: 'create', uri: `${ROOT}/missing-thing.md`, options: { ignoreIfExists: true } });
    assert.match(JSON.stringify(changes[1]), /# Missing Thing/);
  });

  test('README is not a note; document links point at headings', async () => {
    assert.equal(ds.accepts(doc('README.md')), false);
    assert.equal(ds.accepts(doc('gpu.md')), true);
    const links = await ds.documentLinks!(doc('gpu.md'));
    assert.equal(links.length, 4); // the broken-section link still opens its note
    assert.equal(links[2].target, `${ROOT}/my-setup.md#L4`);
  });

  test('workspace symbols: built-in concepts, and workspace concepts found by alias (VS Code lists headings)', async () => {
    const syms = await ds.workspaceSymbols!('pcipass');
    assert.ok(syms.some((s) => s.name === 'PCI Passthrough' && s.containerName === 'built-in concept'));
    assert.ok((await ds.workspaceSymbols!('devicepassthrough')).some((s) => s.name === 'PCI Passthrough'));
    assert.ok((await ds.workspaceSymbols!('acceleratorjail')).some((s) => s.name === 'GPU Sandboxing'));
    assert.ok(!(await ds.workspaceSymbols!('GPU Sandboxing')).some((s) => s.name === 'GPU Sandboxing'));
  });
});

describe('live blocks', () => {
  const { service, doc } = workspace({
    ...FILES,
    'bad.md': '# Bad\n```sh sandbox=isolate\nls\n```\n```js sandbox=vm\n1\n```\n```sh sandbox=cloud\nls\n```\n',
  });
  const ds = service.documentService;

  test('marked blocks get Run lenses with the block as argument; unmarked blocks none', async () => {
    const lenses = await ds.codeLenses!(doc('gpu.md'));
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [6, '▶ Run in gvisor'],
        [6, 'Run across the spectrum'],
        [10, '▶ Run in isolate'],
        [10, 'Run across the spectrum'],
      ],
    );
    assert.equal(lenses[0].command?.command, RUN_BLOCK_COMMAND);
    assert.deepEqual(lenses[0].command?.arguments?.[0], { uri: `${ROOT}/gpu.md`, line: 6, language: 'sh', code: 'uname -a\n', levels: ['gvisor'] });
    assert.equal(lenses[1].command?.arguments?.[0].levels, 'all');
  });

  test('impossible level/language pairs and unknown levels are diagnosed', async () => {
    const codes = (await ds.diagnostics!(doc('bad.md'))).map((d) => `${d.code}@${d.range.start.line}`);
    assert.deepEqual(codes, ['live-block-level@1', 'live-block-level@4', 'live-block-level@7']);
  });
});

describe('incremental index', () => {
  test('editing a note updates resolution; deleting it breaks links; settings exclude files', async () => {
    const { service, doc } = workspace(FILES);
    const ds = service.documentService;
    service.setFile(`${ROOT}/missing.md`, '# Missing Thing\n- now here\n');
    assert.deepEqual((await ds.diagnostics!(doc('gpu.md'))).map((d) => d.code), ['broken-section']);
    service.deleteFile(`${ROOT}/missing.md`);
    assert.equal((await ds.diagnostics!(doc('gpu.md'))).length, 2);
    service.settings = { include: ['**/*.md'], exclude: ['gpu.md'] };
    assert.equal(ds.accepts(doc('gpu.md')), false);
    assert.equal(service.isNote(`${ROOT}/sub/gpu.md`), true);
  });

  test('an open document newer than the index is re-read before answering', async () => {
    const { TextDocument } = await import('vscode-languageserver-textdocument');
    const { service } = workspace(FILES);
    const d = TextDocument.create(`${ROOT}/new.md`, 'markdown', 7, '# Fresh\n[[Nope]]\n');
    assert.equal((await service.documentService.diagnostics!(d)).length, 1);
    assert.ok(service.index.resolve('Fresh'));
  });
});

describe('pushing and large workspaces', () => {
  test('only notes whose concepts or link targets moved are reported changed', () => {
    const beta = '# Beta\n- see [[Alpha]]\n- two\n\n- four';
    const { service } = workspace({ 'a.md': '# Alpha\n- text\n', 'b.md': beta });
    service.index.drainChanged();
    service.setFile(`${ROOT}/b.md`, `${beta}, past the opening block\n`);
    assert.deepEqual(service.index.drainChanged(), []);
    service.setFile(`${ROOT}/b.md`, '# Beta\n- no link now\n');
    assert.deepEqual(service.index.drainChanged().sort(), [`${ROOT}/a.md`, `${ROOT}/b.md`]);
    service.deleteFile(`${ROOT}/a.md`);
    const pushed = service.conceptSummaries(service.index.drainChanged());
    assert.deepEqual(pushed, [{ uri: `${ROOT}/a.md`, concepts: [] }]);
    const all = service.conceptSummaries();
    assert.deepEqual(all.map((n) => n.concepts.map((c) => [c.name, c.hoverable])), [[['Beta', false]]]);
  });

  test('[[ completion is capped and filtered by what is typed, marked incomplete when capped', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`t${i}.md`] = `# Topic ${i}\n`;
    files['n.md'] = '# N\n[[\n[[Topic 29\n';
    const { service, doc } = workspace(files, false);
    const full = (await service.documentService.completion!(doc('n.md'), { line: 1, character: 2 })) as CompletionList;
    assert.equal(full.items.length, 200);
    assert.equal(full.isIncomplete, true);
    const some = (await service.documentService.completion!(doc('n.md'), { line: 2, character: 10 })) as CompletionList;
    const labels = some.items.map((i) => i.label);
    for (const want of ['Topic 29', 'Topic 290', 'Topic 299']) assert.ok(labels.includes(want), want);
    assert.ok(!labels.includes('Topic 1') && !labels.includes('Topic 30'), 'typed text filters (as a subsequence, like VS Code)');
    assert.equal(some.isIncomplete, false);
    assert.equal(some.items[0].textEditText, `${some.items[0].label}]]`);
  });
});

test('an edit that keeps concept names still moves symbols and completion to the new lines', async () => {
  const { service } = workspace({ 'a.md': '# Alpha Concept\nAliases: alpha thing\n- one\n' }, false);
  const ds = service.documentService;
  const line = (s: WorkspaceSymbol): number => (s.location as Location).range.start.line;
  assert.equal(line((await ds.workspaceSymbols!('alphathing'))[0]), 0);
  service.setFile(`${ROOT}/a.md`, '\n\n# Alpha Concept\nAliases: alpha thing\n- one, edited\n');
  const sym = (await ds.workspaceSymbols!('alphathing'))[0];
  assert.equal(line(sym), 2);
  assert.equal(service.index.concepts()[0].heading.line, 2);
  assert.equal(service.index.isHoverable(service.index.concepts()[0]), true);
});
