// Notes read from an untrusted workspace have a size cap: on disk (the server's reader) and for
// open documents (the service). Real files, FIFOs and growth in a temporary directory.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MAX_NOTE_BYTES, readNoteText } from '../../../language-server/notes/readNote';
import { ROOT, workspace } from './helpers';

describe('readNoteText', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'notes-read-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const uri = (name: string): string => pathToFileURL(path.join(dir, name)).href;

  test('reads a note up to the cap, byte for byte', async () => {
    writeFileSync(path.join(dir, 'small.md'), '# Small\n- é and 😀\n');
    assert.deepEqual(await readNoteText(uri('small.md')), { text: '# Small\n- é and 😀\n' });
    writeFileSync(path.join(dir, 'exact.md'), 'x'.repeat(64));
    assert.deepEqual(await readNoteText(uri('exact.md'), 64), { text: 'x'.repeat(64) });
  });

  test('skips a note over the cap without reading it into the index', async () => {
    writeFileSync(path.join(dir, 'big.md'), 'x'.repeat(65));
    assert.deepEqual(await readNoteText(uri('big.md'), 64), { skipped: 'too-large' });
    writeFileSync(path.join(dir, 'huge.md'), Buffer.alloc(MAX_NOTE_BYTES + 1, 0x61));
    assert.deepEqual(await readNoteText(uri('huge.md')), { skipped: 'too-large' });
  });

  test('a FIFO or a directory named *.md is not read (and does not block)', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.md')]);
    const started = Date.now();
    assert.deepEqual(await readNoteText(uri('pipe.md')), { skipped: 'not-a-file' });
    assert.ok(Date.now() - started < 2000);
    execFileSync('mkdir', [path.join(dir, 'folder.md')]);
    assert.deepEqual(await readNoteText(uri('folder.md')), { skipped: 'not-a-file' });
  });

  test('a missing note is reported missing', async () => {
    assert.deepEqual(await readNoteText(uri('gone.md')), { skipped: 'missing' });
  });

  test('a note that grows past the cap while read is still refused', async () => {
    const file = path.join(dir, 'growing.md');
    writeFileSync(file, 'x'.repeat(60));
    const reading = readNoteText(uri('growing.md'), 64);
    appendFileSync(file, 'y'.repeat(100));
    const r = await reading;
    // Either the read finished before the append (60 bytes) or it saw the growth and refused.
    assert.ok(('text' in r && r.text === 'x'.repeat(60)) || ('skipped' in r && r.skipped === 'too-large'), JSON.stringify(r).slice(0, 80));
    assert.deepEqual(await readNoteText(uri('growing.md'), 64), { skipped: 'too-large' });
  });
});

describe('notes service size cap', () => {
  const big = `# Huge\n- [[Nowhere]]\n${'padding line\n'.repeat(Math.ceil(MAX_NOTE_BYTES / 13) + 1)}`;

  test('an oversized open note is not indexed and says why', async () => {
    const { service } = workspace({});
    const doc = TextDocument.create(`${ROOT}/huge.md`, 'markdown', 1, big);
    const diags = await service.documentService.diagnostics!(doc);
    assert.deepEqual(diags.map((d) => d.code), ['note-too-large']);
    assert.match(String(diags[0].message), /over 1 MiB/);
    assert.equal(service.index.resolve('Huge'), undefined);
  });

  test('a note that shrinks back under the cap is indexed again; multi-byte text counts in bytes', async () => {
    const { service } = workspace({});
    service.setFile(`${ROOT}/n.md`, big);
    assert.equal(service.index.resolve('Huge'), undefined);
    service.setFile(`${ROOT}/n.md`, '# Huge\n- small now\n');
    assert.ok(service.index.resolve('Huge'));
    const wide = `# Wide\n${'😀'.repeat(Math.ceil(MAX_NOTE_BYTES / 4) + 1)}`;
    assert.ok(wide.length < MAX_NOTE_BYTES);
    service.setFile(`${ROOT}/w.md`, wide);
    assert.equal(service.index.resolve('Wide'), undefined);
  });
});
