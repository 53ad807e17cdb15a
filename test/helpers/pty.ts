// Runs a command under a real pseudo-terminal made by python3's pty module, as a VS Code terminal
// would provide (`size` rows x columns, 24x80 by default): types `input` once the command is up,
// relays everything it prints, and exits with the command's exit code.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

const PTY_DRIVER = `
import fcntl, os, pty, struct, sys, termios, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
rows, cols = (int(n) for n in os.environ.get('PTY_SIZE', '24x80').split('x'))
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
time.sleep(float(os.environ.get('PTY_DELAY', '1.5')))
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

export function underPty(argv: string[], input: string, o: { env: NodeJS.ProcessEnv; cwd: string; delayS?: number; timeoutMs?: number; size?: string }): SpawnSyncReturns<string> {
  return spawnSync('python3', ['-c', PTY_DRIVER, ...argv], {
    env: { ...o.env, PTY_INPUT: input, PTY_DELAY: String(o.delayS ?? 1.5), PTY_SIZE: o.size ?? '24x80' },
    cwd: o.cwd,
    encoding: 'utf8',
    timeout: o.timeoutMs ?? 60_000,
  });
}
