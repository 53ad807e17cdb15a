// spectrum logs: captured output; -f follows until the sandbox ends or Ctrl-C.
import { need, out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const e = await cli.engine();
  const ctl = new AbortController();
  process.once('SIGINT', () => ctl.abort());
  await e.logs(need(a, 'an id or name'), { follow: Boolean(a.flags.follow), signal: ctl.signal, onChunk: (c) => out(c) });
  return 0;
};
