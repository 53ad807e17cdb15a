// spectrum up: launch every sandbox of a file (or the named one), or an OCI bundle directory.
import { EngineError } from '../../errors';
import { json, need, out, str, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const iso = str(a.flags.isolation);
  if (iso && iso !== 'container' && iso !== 'gvisor') throw new EngineError(`--isolation for a bundle is container or gvisor, not '${iso}'`);
  const e = await cli.engine();
  const list = await e.up(need(a, 'a spec file or bundle directory'), { name: str(a.flags.name), unsafe: Boolean(a.flags.unsafe), owner: str(a.flags.owner), bundleIsolation: iso as 'container' | 'gvisor' | undefined });
  if (a.flags.json) json(list);
  else for (const s of list) out(`${s.id}\t${s.isolation}\t${s.state}${s.url ? `\t${s.url}` : ''}\n`);
  return 0;
};
