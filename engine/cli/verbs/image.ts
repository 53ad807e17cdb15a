// spectrum image prune [--json]: delete the blobs and unpacked images nothing references.
import { EngineError } from '../../errors';
import { json, out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  if (a.positionals[0] !== 'prune') throw new EngineError("spectrum image: the only subcommand is 'prune'. Run 'spectrum --help'.");
  const r = await (await cli.engine()).pruneImages();
  if (a.flags.json) json(r);
  else out(`freed ${(r.bytes / 1048576).toFixed(1)} MiB (${r.blobs} blobs, ${r.rootfs} unpacked images, ${r.disks} VM disks)\n`);
  return 0;
};
