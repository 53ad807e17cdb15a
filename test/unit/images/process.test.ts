import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { imageArgs, imageProcess, mergeEnv, resolveUser } from '../../../engine/images/process';
import { spec } from '../engine/helpers';

describe('the process an image config describes', () => {
  const cfg = { Entrypoint: ['/docker-entrypoint.sh'], Cmd: ['nginx', '-g', 'daemon off;'] };

  test('Entrypoint + Cmd, with Docker override rules', () => {
    assert.deepEqual(imageArgs(cfg, {}), ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
    assert.deepEqual(imageArgs(cfg, { command: ['nginx', '-t'] }), ['/docker-entrypoint.sh', 'nginx', '-t']);
    assert.deepEqual(imageArgs(cfg, { entrypoint: ['/bin/sh'] }), ['/bin/sh'], "a new entrypoint drops the image's Cmd");
    assert.deepEqual(imageArgs(cfg, { entrypoint: ['/bin/sh', '-c'], command: ['id'] }), ['/bin/sh', '-c', 'id']);
    assert.deepEqual(imageArgs({ Cmd: ['python3'] }, {}), ['python3']);
    assert.deepEqual(imageArgs({ Entrypoint: null, Cmd: null }, { command: ['a'] }), ['a']);
    assert.deepEqual(imageArgs(undefined, {}), []);
  });

  test('env: defaults, then the image, then the spec', () => {
    assert.deepEqual(mergeEnv(['PATH=/a', 'HOME=/root', 'X=1=2'], { PATH: '/b', NEW: 'n' }), ['PATH=/b', 'HOME=/root', 'X=1=2', 'NEW=n']);
  });

  test('users by number or name from the image, never through a symlink', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'spectrum-unit-'));
    try {
      mkdirSync(path.join(root, 'etc'));
      writeFileSync(path.join(root, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\nwww:x:33:34::/var/www:/bin/false\n');
      writeFileSync(path.join(root, 'etc', 'group'), 'root:x:0:\nstaff:x:50:\n');
      assert.deepEqual(resolveUser(undefined, root), { uid: 0, gid: 0 });
      assert.deepEqual(resolveUser('www', root), { uid: 33, gid: 34 });
      assert.deepEqual(resolveUser('33', root), { uid: 33, gid: 34 });
      assert.deepEqual(resolveUser('1234', root), { uid: 1234, gid: 0 });
      assert.deepEqual(resolveUser('www:staff', root), { uid: 33, gid: 50 });
      assert.deepEqual(resolveUser('5:6', root), { uid: 5, gid: 6 });
      assert.throws(() => resolveUser('nobody', root), /does not name/);
      assert.throws(() => resolveUser('www:wheel', root), /does not name/);
      const evil = path.join(root, 'evil');
      mkdirSync(evil);
      symlinkSync('/etc', path.join(evil, 'etc'));
      assert.throws(() => resolveUser('root', evil), /does not name/, "the host's /etc/passwd is not read through a link");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a config with no process and a spec with no command is refused', () => {
    const s = spec({ command: undefined });
    assert.throws(() => imageProcess({ config: {} }, s, '/nonexistent', []), /names no Entrypoint or Cmd/);
    const p = imageProcess({ config: { Cmd: ['x'], Env: ['PATH=/img', 'A=img'], WorkingDir: '/w' } }, spec({ command: undefined, env: { A: 'spec' } }), '/nonexistent', ['PATH=/default', 'A=spec']);
    assert.deepEqual(p.args, ['x']);
    assert.deepEqual(p.env, ['PATH=/img', 'A=spec']);
    assert.equal(p.cwd, '/w');
  });
});
