// spectrum cache: the VM boot artefact cache's location and size; `clean` empties it. Derived
// artefacts (initramfs images, extracted vmlinux) always; guest kernels with --kernels.
import { cleanVmCache, vmCacheReport } from '../../vm/cache';
import { json, out, type VerbRun } from '../verb';

export const run: VerbRun = async (a) => {
  const r = a.positionals[0] === 'clean' ? cleanVmCache({ kernels: Boolean(a.flags.kernels) }) : vmCacheReport();
  if (a.flags.json) json(r);
  else if ('removedBytes' in r) out(`removed ${(r.removedBytes / 1048576).toFixed(1)} MiB: ${r.removed.join(', ') || 'nothing'}\n`);
  else out(`${r.path}\n  kernels ${(r.kernelsBytes / 1048576).toFixed(1)} MiB (${r.kernels.join(', ') || 'none'})\n  artefacts ${(r.artefactsBytes / 1048576).toFixed(1)} MiB\n`);
  return 0;
};
