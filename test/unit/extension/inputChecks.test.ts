import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkForkCount, checkSandboxPathInput, MAX_FORKS } from '../../../extension/commands/inputChecks';
import { filePathsOfUriList } from '../../../extension/views/uriList';

describe('what users type and drop', () => {
  test('fork count: a whole number from 1 to MAX_FORKS', () => {
    assert.equal(checkForkCount('2'), undefined);
    assert.equal(checkForkCount(` ${MAX_FORKS} `), undefined);
    for (const bad of ['0', String(MAX_FORKS + 1), '1.5', '-1', 'two', '']) assert.ok(checkForkCount(bad), `accepted ${JSON.stringify(bad)}`);
  });

  test('sandbox paths are absolute, without NUL', () => {
    assert.equal(checkSandboxPathInput('/tmp/'), undefined);
    assert.ok(checkSandboxPathInput('tmp/x'));
    assert.ok(checkSandboxPathInput('/tmp/a\0b'));
  });

  test('a dropped uri-list gives local paths only (comments, other schemes and other hosts dropped)', () => {
    const list = ['# from the Explorer', 'file:///home/u/a%20b.txt', 'https://example.com/x', 'file://otherhost/etc/passwd', 'file:///tmp/dir', ''].join('\r\n');
    assert.deepEqual(filePathsOfUriList(list), ['/home/u/a b.txt', '/tmp/dir']);
  });
});
