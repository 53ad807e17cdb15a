// exec with a terminal: runc gets --tty; runsc (which has no such flag) gets a process file with
// terminal: true built from the container's own process; the CLI takes -t/--tty.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runcExecArgs } from '../../../engine/drivers/runc';
import { ttyProcess } from '../../../engine/drivers/runsc';
import { parseArgs } from '../../../engine/cli/args';

const runArgs = ['--root', '/r/runc', 'run', '--bundle', '/b', '--no-new-keyring', 'sb-1'];

describe('exec with a tty', () => {
  test('runc exec puts --tty before the id only when asked', () => {
    assert.deepEqual(runcExecArgs(runArgs, 'sb-1', ['/bin/sh', '-i'], { tty: true }), ['--root', '/r/runc', 'exec', '--tty', 'sb-1', '/bin/sh', '-i']);
    assert.deepEqual(runcExecArgs(runArgs, 'sb-1', ['ls']), ['--root', '/r/runc', 'exec', 'sb-1', 'ls']);
  });

  test("runsc's process keeps the container's env, cwd and user and asks for a terminal", () => {
    const p = ttyProcess({ cwd: '/work', env: ['A=1'], user: { uid: 5, gid: 5 }, args: ['sleep', '600'], terminal: false }, ['/bin/sh', '-i']);
    assert.deepEqual(p, { cwd: '/work', env: ['A=1'], user: { uid: 5, gid: 5 }, args: ['/bin/sh', '-i'], terminal: true });
    const bare = ttyProcess(undefined, ['sh']);
    assert.equal(bare.terminal, true);
    assert.equal(bare.cwd, '/');
  });

  test('the CLI parses -t and --tty before --', () => {
    assert.equal(parseArgs(['exec', '-t', 'web', '--', 'sh']).flags.tty, true);
    assert.equal(parseArgs(['exec', '--tty', 'web', '--', 'sh', '-t']).flags.tty, true);
    assert.deepEqual(parseArgs(['exec', 'web', '--', 'sh', '-t']).rest, ['sh', '-t']);
    assert.equal(parseArgs(['exec', 'web', '--', 'sh', '-t']).flags.tty, undefined);
  });
});
