// spectrum export --kubernetes FILE [--name N] [-o OUT]: the spec as Kubernetes manifests.
import { EngineError } from '../../errors';
import { specsFromFile } from '../../lifecycle/specs';
import { formatProblem, renderKubernetes } from '../../export/render';
import { writeExport } from '../../export/write';
import type { RuntimeClassNames } from '../../export/runtime-classes';
import { ISOLATION_LEVELS, type Isolation } from '../../spec/types';
import type { ParsedArgs } from '../args';
import { out, str, type VerbRun } from '../verb';

/** `--runtime-classes=gvisor=gv,microvm=kata-clh`: clusters name their handlers differently. */
export function parseRuntimeClasses(v: string | undefined): RuntimeClassNames {
  const names: RuntimeClassNames = {};
  for (const pair of (v ?? '').split(',').filter(Boolean)) {
    const [level, name] = pair.split('=');
    if (!ISOLATION_LEVELS.includes(level as Isolation) || !name || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(name)) {
      throw new EngineError(`--runtime-classes: '${pair}' is not LEVEL=NAME (e.g. gvisor=gvisor,microvm=kata-fc)`);
    }
    names[level as Isolation] = name;
  }
  return names;
}

/** The spec file (`--kubernetes FILE`) and the output path (`-o OUT` / `--out=OUT`). */
export function exportPaths(a: ParsedArgs): { file: string; output?: string } {
  const named = str(a.flags.kubernetes);
  const file = named ?? a.positionals[0];
  if (!file) throw new EngineError('spectrum export: missing a spec file (spectrum export --kubernetes FILE [-o OUT])');
  const rest = a.positionals.slice(named ? 0 : 1);
  if (rest.length) throw new EngineError(`spectrum export: unexpected argument ${rest[0]}`);
  const output = str(a.flags.out);
  if (output?.endsWith('.sandbox.yaml')) throw new EngineError(`spectrum export: refusing to write manifests over a spec (${output})`);
  return { file, output };
}

export const run: VerbRun = async (a) => {
  if (!a.flags.kubernetes) throw new EngineError('spectrum export: say the target: --kubernetes (the only one so far)');
  const { file, output } = exportPaths(a);
  const specs = await specsFromFile(file, str(a.flags.name));
  const r = renderKubernetes(specs, file, { runtimeClasses: parseRuntimeClasses(str(a.flags['runtime-classes'])) });
  for (const p of r.problems) process.stderr.write(`spectrum: ${formatProblem(p)}\n`);
  if (r.refused) {
    process.stderr.write('spectrum: nothing written: remove or change what has no Kubernetes equivalent, or export the other sandboxes with --name\n');
    return 1;
  }
  if (!output) {
    out(`${r.workloads}---\n${r.runtimeClasses}`);
    return 0;
  }
  const [w, c] = await writeExport(output, r).catch((e: unknown) => {
    throw e instanceof EngineError ? new EngineError(`spectrum export: ${e.message}`) : e;
  });
  process.stderr.write(`spectrum: wrote ${w} and ${c}\n`);
  return 0;
};
