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
import { refreshCluster, showPodLogs } from './cluster';
import { copyIntoSandbox, downloadFromSandbox } from './copyFiles';
import { pruneImages, pullImage, refreshImages, removeImage } from './images';
import { deleteSnapshot, forkSandbox, pauseSandbox, refreshSnapshots, restoreSnapshot, resumeSandbox, snapshotSandbox } from './snapshots';

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
  'isolationSpectrum.pullImage': pullImage,
  'isolationSpectrum.removeImage': removeImage,
  'isolationSpectrum.pruneImages': pruneImages,
  'isolationSpectrum.refreshImages': refreshImages,
  'isolationSpectrum.pause': pauseSandbox,
  'isolationSpectrum.resume': resumeSandbox,
  'isolationSpectrum.snapshot': snapshotSandbox,
  'isolationSpectrum.fork': forkSandbox,
  'isolationSpectrum.restoreSnapshot': restoreSnapshot,
  'isolationSpectrum.deleteSnapshot': deleteSnapshot,
  'isolationSpectrum.refreshSnapshots': refreshSnapshots,
  'isolationSpectrum.copyIntoSandbox': copyIntoSandbox,
  'isolationSpectrum.downloadFromSandbox': downloadFromSandbox,
  'isolationSpectrum.showPodLogs': showPodLogs,
  'isolationSpectrum.refreshCluster': refreshCluster,
};

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, factory]) => vscode.commands.registerCommand(id, factory(deps)));
}
