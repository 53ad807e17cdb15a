// The Cluster view's actions: Show Logs of a deployed pod (kubectl logs, the context named) and
// Refresh. Reading a pod's logs changes nothing in the cluster, so it needs no confirmation.
import * as vscode from 'vscode';
import { podLogs } from '../../engine/export/kubectl';
import type { ClusterNode } from '../views/clusterTree';
import { reportError, type CommandFactory } from './deps';

export const showPodLogs: CommandFactory = (deps) => async (arg?: unknown) => {
  const node = arg as ClusterNode | undefined;
  if (node?.kind !== 'pod') {
    void vscode.window.showInformationMessage('Choose a pod in the Cluster view to show its logs.');
    return undefined;
  }
  const { context, pod } = node;
  try {
    const text = await podLogs(context, pod.name, pod.namespace);
    deps.output.info(`kubectl logs pod/${pod.name} (context ${context}, namespace ${pod.namespace}): ${text.length} characters`);
    const doc = await vscode.workspace.openTextDocument({ content: `# kubectl --context ${context} --namespace ${pod.namespace} logs --tail 200 pod/${pod.name}\n${text}`, language: 'log' });
    await vscode.window.showTextDocument(doc, { preview: true });
    return text;
  } catch (e) {
    await reportError(deps, `Logs of ${pod.name} (context "${context}")`, e);
    return undefined;
  }
};

export const refreshCluster: CommandFactory = (deps) => () => deps.views.cluster.refresh();
