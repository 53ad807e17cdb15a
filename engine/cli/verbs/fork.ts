// spectrum fork: N independent copies of a running microVM/VM; the original goes on running.
import { EngineError } from '../../errors';
import { json, need, out, str, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const id = need(a, 'an id or name');
  const raw = str(a.flags.count) ?? '1';
  if (!/^\d+$/.test(raw)) throw new EngineError(`--count must be a whole number, got ${JSON.stringify(raw)}`);
  const copies = await (await cli.engine()).fork(id, { count: Number(raw) });
  if (a.flags.json) json(copies);
  else for (const c of copies) out(`${c.id}\t${c.isolation}\t${c.state}\tfork of ${id}\n`);
  return 0;
};
