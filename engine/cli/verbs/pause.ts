// spectrum pause: freeze every process of running sandboxes in place (container, gvisor).
import { EngineError } from '../../errors';
import { json, out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  if (!a.positionals.length) throw new EngineError('spectrum pause: give ids or names');
  const e = await cli.engine();
  const infos = [];
  for (const x of a.positionals) infos.push(await e.pause(x));
  if (a.flags.json) json(infos);
  else for (const i of infos) out(`${i.id}\t${i.state}\n`);
  return 0;
};
