// `isolationSpectrum.exportKubernetes`: the active (or clicked) spec as Kubernetes manifests,
// written beside it (`app.k8s.yaml` + `app.k8s.runtimeclasses.yaml`) and opened beside the spec.
// The export launches nothing, so it needs no workspace trust; the offer to deploy it (kubectl)
// comes only in a trusted workspace. The translation is the engine's.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyToContext, currentContext } from '../../engine/export/kubectl';
import { formatProblem, renderKubernetes } from '../../engine/export/render';
import type { RuntimeClassNames } from '../../engine/export/runtime-classes';
import { exportPathFor, writeExport } from '../../engine/export/write';
import type { CommandDeps, CommandFactory } from './deps';
import { reportError } from './deps';

/** `isolationSpectrum.kubernetes.runtimeClasses`: the cluster's names, level -> RuntimeClass. */
function runtimeClassNames(uri: vscode.Uri): RuntimeClassNames {
  const v = vscode.workspace.getConfiguration('isolationSpectrum', uri).get<Record<string, unknown>>('kubernetes.runtimeClasses') ?? {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')) as RuntimeClassNames;
}

/**
 * Where kubectl has a current context, offers to apply the workloads there: a modal naming the
 * context, and the context passed to kubectl explicitly. RuntimeClasses are an admin's, never applied here.
 */
async function offerDeploy(deps: CommandDeps, workloads: string): Promise<void> {
  if (!vscode.workspace.isTrusted) return;
  const context = await currentContext();
  if (!context) return;
  const offer = await vscode.window.showInformationMessage(`Deploy ${path.basename(workloads)} to the Kubernetes context "${context}"?`, 'Deploy...');
  if (offer !== 'Deploy...') return;
  const sure = await vscode.window.showWarningMessage(`Apply ${path.basename(workloads)} with kubectl to context "${context}"? This creates or changes objects in that cluster.`, { modal: true }, `Deploy to ${context}`);
  if (sure !== `Deploy to ${context}`) return;
  try {
    const out = await applyToContext(context, [workloads]);
    deps.output.info(`kubectl apply (context ${context}):\n${out}`);
    deps.views.cluster.refresh();
    void vscode.window.showInformationMessage(`Deployed to context "${context}".`, 'Show Output').then((c) => c && deps.output.show());
  } catch (e) {
    await reportError(deps, `Deploy to context "${context}"`, e);
  }
}

export const exportKubernetes: CommandFactory = (deps) => async (arg?: unknown) => {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('Open a sandbox spec (*.sandbox.yaml) first.');
    return undefined;
  }
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  if (editor?.document.isDirty) await editor.document.save();
  try {
    const specs = await deps.engine.specs(uri.fsPath);
    const r = renderKubernetes(specs, uri.fsPath, { runtimeClasses: runtimeClassNames(uri) });
    for (const p of r.problems) deps.output[p.severity === 'error' ? 'error' : 'warn'](`Export to Kubernetes: ${formatProblem(p)}`);
    if (r.refused) {
      const reasons = r.problems.filter((p) => p.severity === 'error').map((p) => `${p.sandbox}: ${p.message}`);
      void vscode.window.showErrorMessage(`Export to Kubernetes: nothing written. ${reasons.join(' ')}`, 'Show Output').then((c) => c && deps.output.show());
      return undefined;
    }
    const [workloads] = await writeExport(exportPathFor(uri.fsPath), r);
    await vscode.window.showTextDocument(vscode.Uri.file(workloads), { viewColumn: vscode.ViewColumn.Beside, preview: false });
    const warnings = r.problems.filter((p) => p.severity === 'warning').length;
    if (warnings) void vscode.window.showWarningMessage(`Exported with ${warnings} warning(s): what a cluster does differently is listed at the top of the file.`);
    void offerDeploy(deps, workloads);
    return workloads;
  } catch (e) {
    await reportError(deps, 'Export to Kubernetes', e);
    return undefined;
  }
};
