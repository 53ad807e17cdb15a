// spectrum down: tear down and forget the named sandboxes, or all of them.
import { EngineError } from '../../errors';
import { json, out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const e = await cli.engine();
  const ids = a.flags.all ? await e.downAll() : (await Promise.all(a.positionals.map((x) => e.down(x)))).flat();
  if (!a.flags.all && !a.positionals.length) throw new EngineError('spectrum down: give ids or names, or --all');
  if (a.flags.json) json(ids);
  else for (const id of ids) out(`${id}\n`);
  return 0;
};
