// The Images view: each image in the engine's store with its tag, short digest, size and age,
// and under it the sandboxes launched from it. Refreshed after our own pulls/removals/prunes and
// whenever the sandboxes change (which changes "used by"); the store has no change events.
import * as vscode from 'vscode';
import { RefreshableTree } from './refreshableTree';
import type { Engine, ImageInfo } from '../../engine/api';
import type { SandboxesModel } from '../sandboxes';
import { imageDescription, imageLabel, imageTooltip } from './imageRows';

export type ImageNode = { kind: 'image'; image: ImageInfo } | { kind: 'image-user'; image: ImageInfo; sandboxId: string };

export class ImagesTree extends RefreshableTree<ImageNode> implements vscode.TreeDataProvider<ImageNode> {
  constructor(
    private readonly engine: Engine,
    private readonly model: SandboxesModel,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super(model.onDidChange);
  }

  async getChildren(node?: ImageNode): Promise<ImageNode[]> {
    if (!node) {
      try {
        const images = await this.engine.images();
        return images.sort((a, b) => imageLabel(a).localeCompare(imageLabel(b))).map((image) => ({ kind: 'image' as const, image }));
      } catch (e) {
        this.log.error(`listing images failed: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      }
    }
    if (node.kind === 'image') return node.image.usedBy.map((sandboxId) => ({ kind: 'image-user' as const, image: node.image, sandboxId }));
    return [];
  }

  getTreeItem(node: ImageNode): vscode.TreeItem {
    const now = new Date();
    if (node.kind === 'image-user') {
      const s = this.model.find(node.sandboxId);
      const item = new vscode.TreeItem(s?.name ?? node.sandboxId, vscode.TreeItemCollapsibleState.None);
      item.id = `image-user:${node.image.name}:${node.sandboxId}`;
      item.description = s ? `${s.isolation} · ${s.state}` : node.sandboxId;
      item.iconPath = new vscode.ThemeIcon('vm-running');
      item.contextValue = 'image-user';
      item.command = { command: 'isolationSpectrum.inspect', title: 'Inspect Sandbox', arguments: [node.sandboxId] };
      return item;
    }
    const i = node.image;
    const item = new vscode.TreeItem(imageLabel(i), i.usedBy.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `image:${i.name}`;
    item.description = imageDescription(i, now) + (i.usedBy.length ? ` · ${i.usedBy.length} sandbox${i.usedBy.length === 1 ? '' : 'es'}` : '');
    item.tooltip = new vscode.MarkdownString(imageTooltip(i, now));
    item.iconPath = new vscode.ThemeIcon('package');
    item.contextValue = i.usedBy.length ? 'image used' : 'image';
    return item;
  }
}
