// The views beside Sandboxes in the Isolation Spectrum container: Images, Snapshots and Cluster.
// Created here so extension.ts wires them with one line; commands refresh them through CommandDeps.
import * as vscode from 'vscode';
import type { Engine } from '../../engine/api';
import type { SandboxesModel } from '../sandboxes';
import { ClusterTree } from './clusterTree';
import { ImagesTree } from './imagesTree';
import { SnapshotsTree } from './snapshotsTree';

export interface MoreViews {
  images: ImagesTree;
  snapshots: SnapshotsTree;
  cluster: ClusterTree;
}

export function createMoreViews(engine: Engine, model: SandboxesModel, log: vscode.LogOutputChannel): { views: MoreViews; disposables: vscode.Disposable[] } {
  const views: MoreViews = { images: new ImagesTree(engine, model, log), snapshots: new SnapshotsTree(engine, model, log), cluster: new ClusterTree() };
  const disposables: vscode.Disposable[] = [
    views.images,
    views.snapshots,
    views.cluster,
    vscode.window.createTreeView('isolationSpectrum.images', { treeDataProvider: views.images }),
    vscode.window.createTreeView('isolationSpectrum.snapshots', { treeDataProvider: views.snapshots }),
    vscode.window.createTreeView('isolationSpectrum.cluster', { treeDataProvider: views.cluster }),
  ];
  return { views, disposables };
}
