// Writing an export: the workloads file and its RuntimeClasses file, each replaced atomically,
// and only over an earlier export, never over a file of the user's (a spec, say).
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../errors';
import { EXPORT_MARK, runtimeClassesPath, type RenderedExport } from './render';

/** `app.sandbox.yaml` -> `app.k8s.yaml`, beside the spec: the editor's default output. */
export function exportPathFor(specFile: string): string {
  const base = path.basename(specFile).replace(/\.sandbox\.ya?ml$/, '').replace(/\.ya?ml$/, '');
  return path.join(path.dirname(specFile), `${base}.k8s.yaml`);
}

async function refuseOverwrite(file: string): Promise<void> {
  const old = await readFile(file, 'utf8').catch(() => undefined);
  if (old !== undefined && !old.startsWith(`# ${EXPORT_MARK}`)) throw new EngineError(`${file} exists and is not an earlier export: refusing to overwrite it`);
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** Writes both files; returns their paths. Refused exports must not reach here. */
export async function writeExport(output: string, r: RenderedExport): Promise<[string, string]> {
  if (r.refused) throw new EngineError('a refused export is not written');
  const classes = runtimeClassesPath(output);
  await refuseOverwrite(output);
  await refuseOverwrite(classes);
  await writeAtomically(output, r.workloads);
  await writeAtomically(classes, r.runtimeClasses);
  return [output, classes];
}
