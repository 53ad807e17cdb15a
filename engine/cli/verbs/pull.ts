// spectrum pull REF: fetch an image (or import oci-layout:/docker-archive:) into the image store.
import { progressPrinter } from '../pull-progress';
import { json, need, out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const ref = need(a, 'an image reference');
  const engine = await cli.engine();
  const progress = progressPrinter((s) => void process.stderr.write(s), Boolean(process.stderr.isTTY) && !a.flags.json);
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  try {
    const img = await engine.pullImage(ref, { onProgress: progress.onProgress, signal: controller.signal });
    progress.finish();
    if (a.flags.json) json(img);
    else out(`${img.shortName}  ${img.digest}  ${(img.size / 1048576).toFixed(1)} MiB  ${img.platform}\n`);
    return 0;
  } finally {
    process.off('SIGINT', cancel);
  }
};
