// What the Images, Snapshots and Cluster views share: a change event, refresh() for commands that
// changed what they show, and (optionally) a refresh whenever the sandboxes change.
import * as vscode from 'vscode';

export abstract class RefreshableTree<T> implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<T | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscription: vscode.Disposable | undefined;

  constructor(changes?: vscode.Event<unknown>) {
    this.subscription = changes?.(() => this.refresh());
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  dispose(): void {
    this.subscription?.dispose();
    this.emitter.dispose();
  }
}
