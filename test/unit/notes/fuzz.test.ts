// Robustness: 10,000 generated Markdown documents (FUZZ_DOCS narrows a local run) through every feature of the pure service.
// Any exception fails, except the RenameError the service throws on purpose for bad renames.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeActionContext } from 'vscode-languageserver-types';
import { RenameError } from '../../../language-server/notes/providers/rename';
import { ROOT, workspace } from './helpers';
import { rng } from '../../helpers/rng';
import { FUZZ_DEFAULT_DOCS, fuzzDocs } from '../../helpers/fuzz-docs';

const DOCS = fuzzDocs();

const PIECES = [
  '# ', '## ', '###### ', '#', '[[', ']]', '[[PCI passthrough]]', '[[KVM#KVM Attack Surface]]', '[[a|b]]', '[[#x]]', '#', '|',
  '`', '``', '```', '```sh sandbox=gvisor\n', '```js sandbox=isolate\n', '```sh sandbox=\n', '~~~', '---\n', 'aliases: [a, b]\n',
  'Aliases: ', ', ', '- ', '* ', '> ', '    ', '\t', '\n', '\n\n', '\r\n', '\r', 'gVisor', 'runsc', 'Type 1 hypervisors', 'virtio-net',
  '/dev/kvm', 'é', '\u0000', '\uFEFF', '😀', '\u2028', '<div>', '</div>', '<!--', '-->', '===', '***', '1. ', '[x](y)', '\\[[',
  'word ', 'The ', "'s ", '...', ' ', ' ', ' ',
];


function generate(rand: () => number): string {
  const n = Math.floor(rand() * 80);
  let out = '';
  for (let i = 0; i < n; i++) {
    out += rand() < 0.85 ? PIECES[Math.floor(rand() * PIECES.length)] : String.fromCharCode(Math.floor(rand() * 0x3000));
  }
  return out;
}

test(`${DOCS} fuzzed Markdown documents: no feature throws`, async () => {
  const { service } = workspace({});
  const ds = service.documentService;
  const rand = rng(20261127);
  let ran = 0;
  for (let i = 0; i < DOCS; i++) {
    const text = generate(rand);
    const doc = TextDocument.create(`${ROOT}/fuzz${i % 40}.md`, 'markdown', i, text);
    const lines = doc.lineCount;
    const pos = (): { line: number; character: number } => {
      const line = Math.floor(rand() * (lines + 1));
      return { line, character: Math.floor(rand() * 90) };
    };
    try {
      const diags = await ds.diagnostics!(doc);
      const context: CodeActionContext = { diagnostics: diags };
      await ds.codeActions!(doc, { start: pos(), end: pos() }, context);
      await ds.codeLenses!(doc);
      await ds.documentLinks!(doc);
      for (let k = 0; k < 3; k++) {
        const p = pos();
        service.conceptSource.conceptHover(doc, p);
        await ds.completion!(doc, p);
        await ds.definition!(doc, p);
        await ds.references!(doc, p, true);
      }
      try {
        await ds.rename!(doc, pos(), generate(rand).slice(0, 12));
      } catch (e) {
        if (!(e instanceof RenameError)) throw e;
      }
      if (i % 500 === 0) await ds.workspaceSymbols!(generate(rand).slice(0, 5));
      if (i % 7 === 0) service.deleteFile(doc.uri);
      if (i % 11 === 0) service.setFile(`${ROOT}/disk${i % 13}.md`, generate(rand));
    } catch (e) {
      assert.fail(`document ${i} threw ${(e as Error).stack}\n--- text ---\n${JSON.stringify(text)}`);
    }
    ran++;
  }
  service.conceptSummaries();
  assert.equal(ran, DOCS);
  assert.ok(DOCS >= FUZZ_DEFAULT_DOCS || process.env.FUZZ_DOCS !== undefined, `at least ${FUZZ_DEFAULT_DOCS} documents unless FUZZ_DOCS narrows a local run`);
});
