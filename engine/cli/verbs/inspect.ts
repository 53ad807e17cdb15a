// spectrum inspect: one sandbox's details as JSON; with --surface, its measured attack surface.
import { json, need, out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const id = need(a, 'an id or name');
  if (a.flags.surface) {
    const s = await (await cli.engine()).surface(id);
    if (a.flags.json) json(s);
    else out((await import('../../surface/format')).formatSurface(s));
    return 0;
  }
  json(await (await cli.engine()).inspect(id));
  return 0;
};
