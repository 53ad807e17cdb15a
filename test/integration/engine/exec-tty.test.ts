// `spectrum exec --tty` gives the command the caller's terminal, so an interactive shell (what
// VS Code's Open Shell runs) gets job control instead of "can't access tty". The CLI runs under
// a real pseudo-terminal (test/helpers/pty.ts), as a VS Code terminal would provide.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT, sandboxWorld, type SandboxWorld } from './sandbox-env';
import { underPty as ptyRun } from '../../helpers/pty';

let world: SandboxWorld;

function underPty(args: string[], input: string) {
  return ptyRun([process.execPath, path.join(ROOT, 'dist', 'cli.js'), ...args], input, { env: world.env, cwd: world.root });
}

before(async () => {
  world = sandboxWorld();
  world.write(
    'tty.sandbox.yaml',
    `name: tc
isolation: container
image: busybox
command: [sleep, "600"]
---
name: tg
isolation: gvisor
image: busybox
command: [sleep, "600"]
`,
  );
  const r = world.cli(['up', 'tty.sandbox.yaml']);
  assert.equal(r.status, 0, r.stderr);
});

after(async () => {
  await world.close();
});

describe('spectrum exec --tty', () => {
  for (const name of ['tc', 'tg']) {
    test(`${name}: an interactive shell gets the terminal`, () => {
      const r = underPty(['exec', '--tty', name, '--', '/bin/sh', '-i'], '[ -t 0 ] && echo "is-$((6*7))-tty"; exit 3\n');
      assert.equal(r.status, 3, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /is-42-tty/);
      assert.doesNotMatch(r.stdout, /can't access tty/);
    });
  }

  test('without a terminal, --tty is refused with the fix', () => {
    const r = world.cli(['exec', '--tty', 'tc', '--', 'true']);
    assert.equal(r.status, 125);
    assert.match(r.stderr, /not a terminal/);
  });
});
