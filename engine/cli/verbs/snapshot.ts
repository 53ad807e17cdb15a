// spectrum snapshot: save a running sandbox's whole state (gvisor; other levels say why not).
import { json, need, out, str, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const s = await (await cli.engine()).snapshot(need(a, 'an id or name'), { name: str(a.flags.name) });
  if (a.flags.json) json(s);
  else out(`${s.name}\t${(s.sizeBytes / 1048576).toFixed(1)} MB in ${s.durationMs} ms (from ${s.sourceId}, which the checkpoint stopped)\n`);
  return 0;
};
