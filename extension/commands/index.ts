// Every command of the extension, registered from this one table (ids match package.json).
import * as vscode from 'vscode';
import { cleanCache } from './cleanCache';
import { compareAcrossSpectrum } from './compareAcrossSpectrum';
import type { CommandDeps, CommandFactory } from './deps';
import { exportKubernetes } from './exportKubernetes';
import { inspect } from './inspect';
import { launch } from './launch';
import { launchFile } from './launchFile';
import { openShell } from './openShell';
import { openUrl } from './openUrl';
import { showCapabilities } from './showCapabilities';
import { showLogs } from './showLogs';
import { tearDown, tearDownAll } from './tearDown';
import { focusView, list, refresh } from './view';

export const COMMANDS: Record<string, CommandFactory> = {
  'isolationSpectrum.launch': launch,
  'isolationSpectrum.launchFile': launchFile,
  'isolationSpectrum.compareAcrossSpectrum': compareAcrossSpectrum,
  'isolationSpectrum.exportKubernetes': exportKubernetes,
  'isolationSpectrum.inspect': inspect,
  'isolationSpectrum.showLogs': showLogs,
  'isolationSpectrum.openShell': openShell,
  'isolationSpectrum.openUrl': openUrl,
  'isolationSpectrum.tearDown': tearDown,
  'isolationSpectrum.tearDownAll': tearDownAll,
  'isolationSpectrum.showCapabilities': showCapabilities,
  'isolationSpectrum.cleanCache': cleanCache,
  'isolationSpectrum.focusView': focusView,
  'isolationSpectrum.refresh': refresh,
  'isolationSpectrum.list': list,
};

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, factory]) => vscode.commands.registerCommand(id, factory(deps)));
}
