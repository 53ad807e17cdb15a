// spectrum doctor [--refresh]: what this host can run, and how to fix the rest. Runtime versions
// come from the cached host snapshot (re-probed when a binary changes); --refresh probes them all.
import { formatDoctor } from '../format';
import { json, out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const r = await (await cli.engine()).doctor({ refresh: Boolean(a.flags.refresh) });
  if (a.flags.json) json(r);
  else out(formatDoctor(r));
  return 0;
};
