import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSandboxPath, parseCopyOperands } from '../../../engine/cp/operands';
import { explainTarFailure, tarInCommand, tarOutCommand } from '../../../engine/cp/sandbox-tar';

describe('cp operands', () => {
  test('the side with SANDBOX: is the sandbox, either way', () => {
    assert.deepEqual(parseCopyOperands('./site', 'web-1a2b3c:/srv/site'), { direction: 'in', sandbox: 'web-1a2b3c', hostPath: './site', sandboxPath: '/srv/site' });
    assert.deepEqual(parseCopyOperands('web:/var/log/app.log/', '.'), { direction: 'out', sandbox: 'web', sandboxPath: '/var/log/app.log', hostPath: '.' });
  });
  test('a host path with a slash before its colon is a host path', () => {
    assert.equal(parseCopyOperands('./a:b', 'web:/tmp').direction, 'in');
    assert.throws(() => parseCopyOperands('./a:b', '/x:y'), /one side must be a sandbox/);
  });
  test('bad operands are refused with the reason', () => {
    assert.throws(() => parseCopyOperands('a:/x', 'b:/y'), /only one side/);
    assert.throws(() => parseCopyOperands('web:tmp/x', '.'), /must be absolute/);
    assert.throws(() => parseCopyOperands('web:/', '.'), /whole root folder/);
    assert.throws(() => parseCopyOperands('web:/x', ''), /empty host path/);
    assert.equal(checkSandboxPath('/a/./b/../c//'), '/a/c');
  });
});

describe('commands run inside the sandbox', () => {
  test('arguments travel as argv, never inside the script', () => {
    assert.deepEqual(tarOutCommand('/var/a b'), ['tar', '-c', '-f', '-', '-C', '/var', './a b']);
    const c = tarInCommand('/tmp/$(reboot)', 'f;x');
    assert.deepEqual(c.slice(0, 2), ['/bin/sh', '-c']);
    assert.deepEqual(c.slice(3), ['spectrum-cp', '/tmp/$(reboot)', 'f;x']);
    assert.ok(!c[2].includes('reboot'));
  });
  test('a missing tar is named as such', () => {
    assert.match(explainTarFailure(127, 'sh: tar: not found'), /has no tar/);
    assert.match(explainTarFailure(1, 'tar: /nope: No such file or directory'), /exited 1: tar: \/nope/);
  });
});
