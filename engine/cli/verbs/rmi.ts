// spectrum rmi REF...: forget images by name; `spectrum image prune` frees their bytes.
import { EngineError } from '../../errors';
import { out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  if (a.positionals.length === 0) throw new EngineError("spectrum rmi: missing an image. Run 'spectrum --help'.");
  const engine = await cli.engine();
  for (const ref of a.positionals) {
    const img = await engine.removeImage(ref);
    out(`removed ${img.shortName}${img.usedBy.length ? ` (still used by ${img.usedBy.join(', ')}: its files stay until they are down)` : ''}\n`);
  }
  return 0;
};
