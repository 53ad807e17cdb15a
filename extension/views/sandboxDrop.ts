// Drag-and-drop of files from the Explorer (or the desktop) onto a running sandbox in the
// Sandboxes view: the same copy as "Copy File into Sandbox...", asking for the destination.
import * as vscode from 'vscode';
import type { SandboxInfo } from '../../engine/api';
import { sandboxActions } from '../../engine/lifecycle/actions';
import type { Node } from './sandboxesTree';
import { filePathsOfUriList } from './uriList';

const URI_LIST = 'text/uri-list';

export class SandboxDrop implements vscode.TreeDragAndDropController<Node> {
  readonly dropMimeTypes = [URI_LIST];
  readonly dragMimeTypes: string[] = [];

  constructor(private readonly copy: (s: SandboxInfo, hostPaths: string[]) => Promise<unknown>) {}

  async handleDrop(target: Node | undefined, data: vscode.DataTransfer): Promise<void> {
    const item = data.get(URI_LIST);
    if (!item) return;
    const paths = filePathsOfUriList(await item.asString());
    if (!paths.length) return;
    if (target?.kind !== 'sandbox' || target.sandbox.state !== 'running' || !sandboxActions(target.sandbox).includes('copy')) {
      void vscode.window.showInformationMessage('Drop files on a running container, gVisor sandbox, microVM or VM to copy them into it.');
      return;
    }
    await this.copy(target.sandbox, paths);
  }
}
