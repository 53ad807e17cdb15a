import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanEntryPath, EntryChecker } from '../../../engine/cp/entry-check';

describe('tar entry checks for a copy out', () => {
  test('paths are cleaned; climbing or absolute paths are not paths', () => {
    assert.equal(cleanEntryPath('./x/./y/'), 'x/y');
    for (const bad of ['../x', 'x/../../y', '/etc/passwd', 'x/..', 'C:/x', 'a\\..\\b']) assert.equal(cleanEntryPath(bad), undefined, bad);
  });
  test('everything must sit under the one top entry', () => {
    const c = new EntryChecker('x');
    assert.deepEqual(c.check({ path: './x/', type: 'Directory' }), { ok: true, path: 'x' });
    assert.equal(c.check({ path: './x/a', type: 'File' }).ok, true);
    assert.equal(c.check({ path: './y', type: 'File' }).ok, false);
    assert.equal(c.check({ path: 'x/../../e', type: 'File' }).ok, false);
  });
  test('nothing may be written through a symlink of the same archive', () => {
    const c = new EntryChecker('x');
    assert.equal(c.check({ path: 'x/l', type: 'SymbolicLink', linkpath: '/etc' }).ok, true);
    const v = c.check({ path: 'x/l/cron.d/evil', type: 'File' });
    assert.equal(v.ok, false);
    assert.match((v as { reason: string }).reason, /through the symlink 'x\/l'/);
  });
  test('hard links must name an entry of the copy', () => {
    const c = new EntryChecker('x');
    assert.equal(c.check({ path: 'x/h', type: 'Link', linkpath: 'x/a' }).ok, true);
    assert.equal(c.check({ path: 'x/h2', type: 'Link', linkpath: '/etc/shadow' }).ok, false);
    assert.equal(c.check({ path: 'x/h3', type: 'Link', linkpath: '../../etc/shadow' }).ok, false);
  });
  test('device nodes and fifos are skipped with the reason', () => {
    const v = new EntryChecker('x').check({ path: 'x/p', type: 'FIFO' });
    assert.equal(v.ok, 'skip');
  });
});
