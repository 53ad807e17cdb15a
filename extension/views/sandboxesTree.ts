// The Sandboxes view: sandboxes grouped by isolation level, with state and uptime; the inline
// actions come from package.json menus keyed on each item's contextValue.
import * as vscode from 'vscode';
import type { SandboxInfo } from '../../engine/api';
import { ISOLATION_LEVELS, type Isolation } from '../../engine/spec/types';
import { formatUptime } from '../format';
import { LEVEL_TITLES, levelIcon } from '../levels';
import type { SandboxesModel } from '../sandboxes';

export type Node = { kind: 'level'; level: Isolation; count: number } | { kind: 'sandbox'; sandbox: SandboxInfo };

function uptimeOf(s: SandboxInfo): number | undefined {
  if (s.state !== 'running') return undefined;
  if (s.startedAt) return Date.now() - Date.parse(s.startedAt);
  return s.uptimeMs;
}

export class SandboxesTree implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly model: SandboxesModel) {
    model.onDidChange(() => this.emitter.fire(undefined));
  }

  getChildren(node?: Node): Node[] {
    const all = this.model.all;
    if (!node) {
      return ISOLATION_LEVELS.map((level) => ({ kind: 'level' as const, level, count: all.filter((s) => s.isolation === level).length })).filter((n) => n.count > 0);
    }
    if (node.kind === 'level') return all.filter((s) => s.isolation === node.level).map((sandbox) => ({ kind: 'sandbox' as const, sandbox }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'level') {
      const item = new vscode.TreeItem(LEVEL_TITLES[node.level], vscode.TreeItemCollapsibleState.Expanded);
      item.id = `level:${node.level}`;
      item.iconPath = levelIcon(node.level);
      item.description = String(node.count);
      item.contextValue = 'level';
      return item;
    }
    const s = node.sandbox;
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
    item.id = `sandbox:${s.id}`;
    item.iconPath = levelIcon(s.isolation);
    const uptime = formatUptime(uptimeOf(s));
    item.description = [s.state, uptime, s.runtime].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString(
      [`**${s.id}**`, `level: ${s.isolation} (${s.runtime})`, `state: ${s.state}`, s.pid ? `pid: ${s.pid}` : '', s.url ? `url: ${s.url}` : '', s.specPath ? `spec: ${s.specPath}` : '']
        .filter(Boolean)
        .join('  \n'),
    );
    // e.g. `sandbox running container shell`: menus match on these words.
    const shell = s.isolation !== 'isolate' && s.state === 'running' ? ' shell' : '';
    const url = s.url ? ' url' : '';
    item.contextValue = `sandbox ${s.state} ${s.isolation}${shell}${url}`;
    item.command = { command: 'isolationSpectrum.inspect', title: 'Inspect Sandbox', arguments: [s.id] };
    return item;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
