// spectrum restore: start a new sandbox from a snapshot, where its processes left off.
import { json, need, out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const info = await (await cli.engine()).restore(need(a, 'a snapshot name (see spectrum snapshots)'));
  if (a.flags.json) json(info);
  else out(`${info.id}\t${info.isolation}\t${info.state}\n`);
  return 0;
};
