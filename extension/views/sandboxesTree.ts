// The Sandboxes view: sandboxes grouped by isolation level, with state and uptime, and a running
// sandbox's published ports as its children; the inline actions come from package.json menus
// keyed on each item's contextValue.
import * as vscode from 'vscode';
import type { SandboxInfo } from '../../engine/api';
import { ISOLATION_LEVELS, type Isolation } from '../../engine/spec/types';
import { formatUptime } from '../format';
import { LEVEL_TITLES, levelIcon } from '../levels';
import { isAgentSandbox, type SandboxesModel } from '../sandboxes';
import type { PublishedPort } from '../../engine/lifecycle/published-ports';
import { portLabel, publishedPortsOf } from './portLinks';
import { sandboxContextValue, sandboxTooltip } from './sandboxTooltip';

export type Node =
  | { kind: 'level'; level: Isolation; count: number }
  | { kind: 'agent'; count: number }
  | { kind: 'sandbox'; sandbox: SandboxInfo }
  | { kind: 'port'; sandbox: SandboxInfo; port: PublishedPort };

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
    const agent = this.model.all.filter(isAgentSandbox);
    const all = this.model.all.filter((s) => !isAgentSandbox(s));
    if (!node) {
      const levels = ISOLATION_LEVELS.map((level) => ({ kind: 'level' as const, level, count: all.filter((s) => s.isolation === level).length })).filter((n) => n.count > 0);
      return agent.length ? [{ kind: 'agent' as const, count: agent.length }, ...levels] : levels;
    }
    if (node.kind === 'agent') return agent.map((sandbox) => ({ kind: 'sandbox' as const, sandbox }));
    if (node.kind === 'level') return all.filter((s) => s.isolation === node.level).map((sandbox) => ({ kind: 'sandbox' as const, sandbox }));
    if (node.kind === 'sandbox') return publishedPortsOf(node.sandbox).map((port) => ({ kind: 'port' as const, sandbox: node.sandbox, port }));
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
    if (node.kind === 'port') return portItem(node.sandbox, node.port);
    if (node.kind === 'agent') {
      const item = new vscode.TreeItem('Agent', vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'group:agent';
      item.iconPath = new vscode.ThemeIcon('robot');
      item.description = String(node.count);
      item.tooltip = 'Sandboxes an AI agent created (spectrum mcp or the language-model tools), within .spectrum/agent-policy.yaml';
      item.contextValue = 'agentGroup';
      return item;
    }
    const s = node.sandbox;
    const ports = publishedPortsOf(s);
    const item = new vscode.TreeItem(s.name, ports.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `sandbox:${s.id}`;
    item.iconPath = levelIcon(s.isolation);
    const uptime = formatUptime(uptimeOf(s));
    item.description = [s.state, uptime, s.runtime].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString(sandboxTooltip(s, ports));
    item.contextValue = sandboxContextValue(s, Boolean(s.url || ports.some((p) => p.url)));
    item.command = { command: 'isolationSpectrum.inspect', title: 'Inspect Sandbox', arguments: [s.id] };
    return item;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** A published port; TCP ones open in the browser (click, or the inline action). */
function portItem(s: SandboxInfo, p: PublishedPort): vscode.TreeItem {
  const item = new vscode.TreeItem(portLabel(p), vscode.TreeItemCollapsibleState.None);
  item.id = `port:${s.id}:${p.protocol}:${p.hostAddress}:${p.hostPort}`;
  item.iconPath = new vscode.ThemeIcon(p.url ? 'globe' : 'plug');
  item.description = p.url ?? 'udp';
  item.tooltip = p.url ? `${portLabel(p)}: open ${p.url} in the browser` : `${portLabel(p)} (UDP: nothing to open in a browser)`;
  item.contextValue = `port ${p.protocol}${p.url ? ' url' : ''}`;
  if (p.url) item.command = { command: 'isolationSpectrum.openUrl', title: 'Open in Browser', arguments: [{ kind: 'port', sandbox: s, port: p }] };
  return item;
}
