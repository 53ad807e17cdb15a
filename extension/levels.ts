// How each isolation level looks in the UI: its title and its codicon.
import * as vscode from 'vscode';
import type { Isolation } from '../engine/spec/types';

export const LEVEL_TITLES: Record<Isolation, string> = {
  isolate: 'V8 Isolates',
  container: 'Containers',
  gvisor: 'gVisor',
  microvm: 'microVMs',
  vm: 'Virtual Machines',
};

const LEVEL_ICONS: Record<Isolation, string> = {
  isolate: 'zap',
  container: 'package',
  gvisor: 'shield',
  microvm: 'chip',
  vm: 'vm',
};

export function levelIcon(level: Isolation): vscode.ThemeIcon {
  return new vscode.ThemeIcon(LEVEL_ICONS[level] ?? 'circle-outline');
}
