// spectrum doctor: what this host can run, and how to fix the rest.
import { formatDoctor } from '../format';
import { json, out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const r = await (await cli.engine()).doctor();
  if (a.flags.json) json(r);
  else out(formatDoctor(r));
  return 0;
};
