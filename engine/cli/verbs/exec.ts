// spectrum exec: a command inside a running sandbox, with this terminal when -t is given.
import { EngineError } from '../../errors';
import { need, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  if (!a.rest.length) throw new EngineError('spectrum exec: give the command after --, e.g. spectrum exec web -- ls /');
  const tty = Boolean(a.flags.tty);
  if (tty && !process.stdin.isTTY) throw new EngineError('spectrum exec --tty: stdin is not a terminal', [], 'run it in a terminal, or drop -t');
  const r = await (await cli.engine()).exec(need(a, 'an id or name'), a.rest, { stdio: 'inherit', tty });
  return r.exitCode;
};
