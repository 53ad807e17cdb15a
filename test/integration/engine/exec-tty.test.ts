// `spectrum exec --tty` gives the command the caller's terminal, so an interactive shell (what
// VS Code's Open Shell runs) gets job control instead of "can't access tty". The CLI runs under
// a real pseudo-terminal made by python3's pty module, as a VS Code terminal would provide.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, sandboxWorld, type SandboxWorld } from './sandbox-env';

let world: SandboxWorld;

// Forks the command on a new pty, types `input` once the shell is up, relays everything it
// prints to stdout and exits with the command's exit code.
const PTY_DRIVER = `
import os, pty, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
time.sleep(1.5)
os.write(fd, os.environ['PTY_INPUT'].encode())
out = b''
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
sys.stdout.write(out.decode('utf-8', 'replace'))
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

function underPty(args: string[], input: string) {
  return spawnSync('python3', ['-c', PTY_DRIVER, process.execPath, path.join(ROOT, 'dist', 'cli.js'), ...args], {
    env: { ...world.env, PTY_INPUT: input },
    cwd: world.root,
    encoding: 'utf8',
    timeout: 60_000,
  });
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
