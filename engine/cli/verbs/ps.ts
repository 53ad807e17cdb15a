// spectrum ps: every sandbox, reconciled with reality.
import { formatPs } from '../format';
import { json, out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const list = await (await cli.engine()).ps();
  if (a.flags.json) json(list);
  else out(formatPs(list));
  return 0;
};
