// The export as files: the workloads, and the RuntimeClasses apart (cluster-wide, installed once
// by an admin, so never applied by accident with an app). Shared by the CLI and the editor.
import path from 'node:path';
import type { SandboxSpec } from '../spec/types';
import { toKubernetes, type KubernetesExportOptions } from './kubernetes';
import type { ExportProblem } from './problems';
import { manifestsToYaml } from './yaml';

export interface RenderedExport {
  workloads: string;
  runtimeClasses: string;
  problems: ExportProblem[];
  /** True when some sandbox was refused: nothing should be written then. */
  refused: boolean;
}

/** Every exported file starts with this comment: how an earlier export is told from a user's file. */
export const EXPORT_MARK = 'Exported by Isolation Spectrum';

export function renderKubernetes(specs: SandboxSpec[], source: string, opts: KubernetesExportOptions = {}): RenderedExport {
  const r = toKubernetes(specs, opts);
  const from = `${EXPORT_MARK} from ${path.basename(source)}.`;
  const warned = r.problems.filter((p) => p.severity === 'warning').map((p) => `warning: ${p.sandbox}: ${p.message}`);
  return {
    workloads: manifestsToYaml(r.workloads, [from, ...warned].join('\n')),
    runtimeClasses: manifestsToYaml(r.runtimeClasses, `${from}\nRuntimeClasses: apply once per cluster, after labelling the nodes that have each handler.`),
    problems: r.problems,
    refused: r.problems.some((p) => p.severity === 'error'),
  };
}

/** `app.k8s.yaml` -> `app.k8s.runtimeclasses.yaml`, beside it. */
export function runtimeClassesPath(out: string): string {
  return `${out.replace(/\.ya?ml$/, '')}.runtimeclasses.yaml`;
}

export function formatProblem(p: ExportProblem): string {
  return `${p.severity}: ${p.sandbox}: ${p.field}: ${p.message} [${p.code}]`;
}
