// Files in and out of a running sandbox: "Copy File into Sandbox..." (also what a drop from the
// Explorer onto a sandbox does) and "Download from Sandbox...". The engine streams tar through the
// sandbox's exec (or a VM's guest agent) and refuses entries that would escape the destination.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CopyResult, SandboxInfo } from '../../engine/api';
import { sandboxActions } from '../../engine/lifecycle/actions';
import { formatBytes } from '../views/imageRows';
import { checkSandboxPathInput } from './inputChecks';
import { reportError, requireTrust, resolveSandbox, type CommandDeps, type CommandFactory } from './deps';

const DEFAULT_DEST = '/tmp/';
const copyable = (s: SandboxInfo) => s.state === 'running' && sandboxActions(s).includes('copy');

/** Copies host paths into the sandbox (into `dest` when it ends with `/`), with progress. */
export async function copyInto(deps: CommandDeps, s: SandboxInfo, hostPaths: string[], dest?: string): Promise<CopyResult[] | undefined> {
  dest ??= await vscode.window.showInputBox({
    title: `Copy ${hostPaths.length === 1 ? path.basename(hostPaths[0]) : `${hostPaths.length} items`} into ${s.name}`,
    prompt: 'Destination inside the sandbox (a folder ends with /)',
    value: DEFAULT_DEST,
    ignoreFocusOut: true,
    validateInput: checkSandboxPathInput,
  });
  if (!dest) return undefined;
  const target = dest;
  try {
    const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Copying into ${s.name}` }, async (progress) => {
      const out: CopyResult[] = [];
      for (const p of hostPaths) {
        progress.report({ message: path.basename(p) });
        // Several items go into a folder; one item may be renamed by a destination without `/`.
        out.push(await deps.engine.copyIn(s.id, p, hostPaths.length > 1 && !target.endsWith('/') ? `${target}/` : target));
      }
      return out;
    });
    const bytes = results.reduce((n, r) => n + r.bytes, 0);
    deps.output.info(`copied ${hostPaths.join(', ')} into ${s.id}:${results.map((r) => r.path).join(', ')} (${bytes} bytes)`);
    const names = hostPaths.map((p) => path.basename(p)).join(', ');
    void vscode.window.showInformationMessage(`Copied ${names} (${formatBytes(bytes)} as tar) into ${s.name}:${results.length === 1 ? results[0].path : target}.`);
    return results;
  } catch (e) {
    await reportError(deps, `Copy into ${s.name} failed`, e);
    return undefined;
  }
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

/** Args (all optional): sandbox (view item, id), host paths (string[] or Uri[]), sandbox destination. */
export const copyIntoSandbox: CommandFactory = (deps) => async (arg?: unknown, files?: unknown, dest?: unknown) => {
  if (!requireTrust()) return undefined;
  const s = await resolveSandbox(deps, arg, copyable);
  if (!s) return undefined;
  let hostPaths = strings(files) ?? (Array.isArray(files) ? files.filter((f): f is vscode.Uri => f instanceof vscode.Uri).map((u) => u.fsPath) : undefined);
  if (!hostPaths?.length) {
    const picked = await vscode.window.showOpenDialog({
      title: `Copy into ${s.name}`,
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: true,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      openLabel: 'Copy into Sandbox',
    });
    hostPaths = picked?.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
  }
  if (!hostPaths?.length) return undefined;
  return copyInto(deps, s, hostPaths, typeof dest === 'string' ? dest : undefined);
};

/** Args (all optional): sandbox, the path inside it, the host destination (file or folder). */
export const downloadFromSandbox: CommandFactory = (deps) => async (arg?: unknown, from?: unknown, to?: unknown) => {
  if (!requireTrust()) return undefined;
  const s = await resolveSandbox(deps, arg, copyable);
  if (!s) return undefined;
  const source =
    typeof from === 'string'
      ? from
      : await vscode.window.showInputBox({ title: `Download from ${s.name}`, prompt: 'The file or folder inside the sandbox', placeHolder: '/etc/os-release', ignoreFocusOut: true, validateInput: checkSandboxPathInput });
  if (!source) return undefined;
  let dest = typeof to === 'string' ? to : undefined;
  if (!dest) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const base = path.posix.basename(source.replace(/\/+$/, '')) || 'download';
    const picked = await vscode.window.showSaveDialog({ title: `Save ${source} from ${s.name}`, defaultUri: folder ? vscode.Uri.joinPath(folder, base) : undefined, saveLabel: 'Download' });
    dest = picked?.scheme === 'file' ? picked.fsPath : undefined;
  }
  if (!dest) return undefined;
  const hostDest = dest;
  try {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Downloading ${source} from ${s.name}` }, () => deps.engine.copyOut(s.id, source, hostDest));
    deps.output.info(`copied ${s.id}:${source} to ${r.path} (${r.bytes} bytes${r.skipped.length ? `; skipped ${r.skipped.join(', ')}` : ''})`);
    const open = await vscode.window.showInformationMessage(`Downloaded ${formatBytes(r.bytes)} to ${r.path}.${r.skipped.length ? ` Skipped ${r.skipped.length} special file(s).` : ''}`, 'Reveal');
    if (open) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(r.path));
    return r;
  } catch (e) {
    await reportError(deps, `Download from ${s.name} failed`, e);
    return undefined;
  }
};
