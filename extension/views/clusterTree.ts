// The Cluster view: where kubectl has a current context, the pods our Kubernetes exports deployed
// there (by the managed-by label), with their RuntimeClass and phase; otherwise one line saying
// there is no cluster context and why. kubectl runs only while the view is shown (VS Code asks
// for children only then) and on Refresh; every call names the context (engine/export/kubectl.ts).
import * as vscode from 'vscode';
import { RefreshableTree } from './refreshableTree';
import { clusterContext, listPods } from '../../engine/export/kubectl';
import type { ClusterPod } from '../../engine/export/pods';
import { podDescription } from './podRows';

export type ClusterNode =
  | { kind: 'message'; text: string; detail?: string }
  | { kind: 'context'; context: string; pods: ClusterPod[] | { error: string } }
  | { kind: 'pod'; context: string; pod: ClusterPod };

const PHASE_ICONS: Record<string, string> = { Running: 'pass', Succeeded: 'check', Pending: 'clock', Failed: 'error' };

export class ClusterTree extends RefreshableTree<ClusterNode> implements vscode.TreeDataProvider<ClusterNode> {
  async getChildren(node?: ClusterNode): Promise<ClusterNode[]> {
    if (!node) {
      const c = await clusterContext();
      if ('reason' in c) return [{ kind: 'message', text: 'No cluster context', detail: c.reason }];
      const pods = await listPods(c.context).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
      return [{ kind: 'context', context: c.context, pods }];
    }
    if (node.kind !== 'context') return [];
    if ('error' in node.pods) return [{ kind: 'message', text: 'kubectl get pods failed', detail: node.pods.error }];
    if (node.pods.length === 0) return [{ kind: 'message', text: 'No pods deployed by Isolation Spectrum', detail: `context ${node.context}: Export to Kubernetes, then Deploy` }];
    return node.pods.map((pod) => ({ kind: 'pod' as const, context: node.context, pod }));
  }

  getTreeItem(node: ClusterNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.description = node.detail;
      item.tooltip = node.detail;
      item.iconPath = new vscode.ThemeIcon('info');
      item.contextValue = 'cluster-message';
      return item;
    }
    if (node.kind === 'context') {
      const item = new vscode.TreeItem(`context: ${node.context}`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `cluster:${node.context}`;
      item.description = 'error' in node.pods ? 'unreachable' : `${node.pods.length} pod${node.pods.length === 1 ? '' : 's'}`;
      item.iconPath = new vscode.ThemeIcon('cloud');
      item.contextValue = 'cluster-context';
      return item;
    }
    const p = node.pod;
    const item = new vscode.TreeItem(p.name, vscode.TreeItemCollapsibleState.None);
    item.id = `pod:${node.context}:${p.namespace}/${p.name}`;
    item.description = podDescription(p);
    item.tooltip = new vscode.MarkdownString(
      [`**${p.namespace}/${p.name}**`, `context: ${node.context}`, `phase: ${p.phase}`, `RuntimeClass: ${p.runtimeClass ?? '(cluster default)'}`, p.isolation ? `level: ${p.isolation}` : '', p.node ? `node: ${p.node}` : '', p.startedAt ? `started: ${p.startedAt}` : '', p.reason ? `reason: ${p.reason}` : '']
        .filter(Boolean)
        .join('  \n'),
    );
    item.iconPath = new vscode.ThemeIcon(PHASE_ICONS[p.phase] ?? 'question');
    item.contextValue = 'pod';
    return item;
  }
}
