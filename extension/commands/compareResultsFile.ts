// Where Compare Across Spectrum saves its figures: beside the spec, one file per sandbox. Pure.
import * as path from 'node:path';

/** `app.sandbox.yaml` + `web` -> `app.web.compare.json`, beside the spec. */
export function resultsFile(specFile: string, name: string): string {
  const base = path.basename(specFile).replace(/\.sandbox\.ya?ml$/, '').replace(/\.ya?ml$/, '');
  return path.join(path.dirname(specFile), `${base}.${name}.compare.json`);
}
