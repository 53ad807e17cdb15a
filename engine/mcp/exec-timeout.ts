// A command's timeout that really ends the command. Killing the host side of an exec is not
// enough: under gVisor the Sentry keeps the command (and the output pipes) alive, so the exec
// would only return when the command ends by itself. So the command runs under a small sh
// wrapper that records its pid in the sandbox, and past the timeout every process descended
// from that pid is killed inside the sandbox. Only sh builtins are used (kill, read, set), and
// /proc/*/stat for parents: gVisor has no /proc/PID/task/TID/children.
import { randomBytes } from 'node:crypto';
import type { Engine, ExecResult } from '../api';
import { EngineError } from '../errors';

// $0 is the pid file. Not `exec "$@"`: the wrapper stays the parent, and removes its file.
const WRAPPER = 'echo $$ > "$0" 2>/dev/null; "$@"; s=$?; rm -f "$0"; exit $s';

// $1 is the pid file. Grows the set of pids whose parent is in it until it stops growing.
const KILL_TREE = [
  'read -r root < "$1" || exit 0',
  't=" $root "; n=0',
  'while [ "$n" != "${#t}" ]; do n=${#t}',
  '  for f in /proc/[0-9]*/stat; do',
  '    read -r l < "$f" 2>/dev/null || continue',
  '    p=${f#/proc/}; p=${p%/stat}; r=${l##*) }; set -- $r',
  '    case "$t" in *" $2 "*) case "$t" in *" $p "*) ;; *) t="$t$p ";; esac;; esac',
  '  done',
  'done',
  'kill -KILL $t 2>/dev/null',
  'rm -f "$1"',
].join('\n');

/** The tail of the grace period: the exec gets this long past the timeout to return after the kill. */
const SETTLE_MS = 10_000;

export async function execWithTimeout(engine: Engine, id: string, argv: string[], timeoutMs: number): Promise<ExecResult> {
  const pidFile = `/tmp/.spectrum-run-${randomBytes(6).toString('hex')}.pid`;
  const running = engine.exec(id, ['/bin/sh', '-c', WRAPPER, pidFile, ...argv], { timeoutMs: timeoutMs + SETTLE_MS });
  running.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const first = await Promise.race([running, timedOut]);
    if (first !== 'timeout') return first;
  } finally {
    clearTimeout(timer);
  }
  await engine.exec(id, ['/bin/sh', '-c', KILL_TREE, 'sh', pidFile], { timeoutMs: SETTLE_MS }).catch(() => undefined);
  await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, SETTLE_MS).unref())]);
  throw new EngineError(`the command ran past its timeout of ${timeoutMs} ms and was killed`);
}
