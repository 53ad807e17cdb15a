// spectrum snapshots [rm NAME...]: list saved snapshots, or delete some.
import { EngineError } from '../../errors';
import { json, out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const e = await cli.engine();
  if (a.positionals[0] === 'rm') {
    const names = a.positionals.slice(1);
    if (!names.length) throw new EngineError('spectrum snapshots rm: give snapshot names');
    for (const n of names) await e.deleteSnapshot(n);
    for (const n of names) out(`${n}\n`);
    return 0;
  }
  const list = await e.snapshots();
  if (a.flags.json) json(list);
  else for (const s of list) out(`${s.name}\t${s.isolation}\t${(s.sizeBytes / 1048576).toFixed(1)} MB\t${s.createdAt}\tfrom ${s.sourceId}\n`);
  return 0;
};
