// The Snapshots view: every saved sandbox state in the engine's snapshot store, with Restore and
// Delete. Refreshed when sandboxes change (a snapshot ends its source) and after our own actions.
import * as vscode from 'vscode';
import { RefreshableTree } from './refreshableTree';
import type { Engine, SnapshotInfo } from '../../engine/api';
import { levelIcon } from '../levels';
import type { SandboxesModel } from '../sandboxes';
import { formatAge, formatBytes } from './imageRows';

export type SnapshotNode = { kind: 'snapshot'; snapshot: SnapshotInfo };

export class SnapshotsTree extends RefreshableTree<SnapshotNode> implements vscode.TreeDataProvider<SnapshotNode> {
  constructor(
    private readonly engine: Engine,
    model: SandboxesModel,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super(model.onDidChange);
  }

  async getChildren(node?: SnapshotNode): Promise<SnapshotNode[]> {
    if (node) return [];
    try {
      const list = await this.engine.snapshots();
      return list.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((snapshot) => ({ kind: 'snapshot' as const, snapshot }));
    } catch (e) {
      this.log.error(`listing snapshots failed: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    }
  }

  getTreeItem(node: SnapshotNode): vscode.TreeItem {
    const s = node.snapshot;
    const now = new Date();
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
    item.id = `snapshot:${s.name}`;
    item.iconPath = levelIcon(s.isolation);
    item.description = [`${s.isolation} · from ${s.sourceName}`, formatBytes(s.sizeBytes), formatAge(s.createdAt, now)].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString(
      [`**${s.name}**`, `from: ${s.sourceId}`, `level: ${s.isolation} (${s.runtime}${s.runtimeVersion ? ` ${s.runtimeVersion}` : ''})`, `taken: ${s.createdAt} in ${s.durationMs} ms`, `size: ${formatBytes(s.sizeBytes)}`].join('  \n'),
    );
    item.contextValue = `snapshot ${s.isolation}`;
    return item;
  }
}
