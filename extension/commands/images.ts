// Images: `isolationSpectrum.pullImage` (palette, the Images view's title, and the language
// server's quick fix with `[ref]`), `removeImage`, `pruneImages`, `refreshImages`. Pulls show a
// cancellable notification with bytes; a cancel aborts the engine's pull, which records no image.
import * as vscode from 'vscode';
import type { ImageInfo } from '../../engine/api';
import { formatBytes } from '../views/imageRows';
import type { ImageNode } from '../views/imagesTree';
import { PullTally } from '../views/pullProgress';
import { reportError, requireTrust, type CommandDeps, type CommandFactory } from './deps';

/** Pulls with a progress notification; undefined when cancelled or failed (both reported). */
export async function pullWithProgress(deps: CommandDeps, ref: string): Promise<ImageInfo | undefined> {
  const controller = new AbortController();
  const tally = new PullTally();
  try {
    const image = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Pulling ${ref}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        progress.report({ message: 'resolving the manifest...' });
        let last = 0;
        return deps.engine.pullImage(ref, {
          signal: controller.signal,
          onProgress: (p) => {
            tally.add(p);
            // Many small events per second: the notification needs a few.
            const now = Date.now();
            if (!p.done && now - last < 200) return;
            last = now;
            progress.report({ message: tally.message(), increment: tally.increment() });
          },
        });
      },
    );
    deps.output.info(`pulled ${image.name} ${image.digest} (${formatBytes(image.size)}; ${tally.message()})`);
    deps.views.images.refresh();
    void vscode.window.showInformationMessage(`Pulled ${image.shortName} (${formatBytes(image.size)}): ${tally.message()}.`);
    return image;
  } catch (e) {
    if (controller.signal.aborted) {
      deps.output.info(`pull of ${ref} cancelled after ${formatBytes(tally.bytes)}; no image was recorded`);
      void vscode.window.showInformationMessage(`Pull of ${ref} cancelled: no image was kept.`);
      return undefined;
    }
    await reportError(deps, `Pull ${ref} failed`, e);
    return undefined;
  }
}

export const pullImage: CommandFactory = (deps) => async (arg?: unknown) => {
  if (!requireTrust()) return undefined;
  let ref = typeof arg === 'string' ? arg : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : undefined;
  ref ??= await vscode.window.showInputBox({
    title: 'Pull Image',
    prompt: 'An image reference (alpine:3.20, ghcr.io/org/app@sha256:...), oci-layout:PATH[:TAG] or docker-archive:FILE.tar',
    placeHolder: 'alpine:3.20',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'Type an image reference' : /\s/.test(v.trim()) ? 'A reference has no spaces' : undefined),
  });
  if (!ref?.trim()) return undefined;
  return pullWithProgress(deps, ref.trim());
};

/** The image a command argument names (a view item or a name), else one picked from the store. */
async function resolveImage(deps: CommandDeps, arg: unknown): Promise<ImageInfo | undefined> {
  if (typeof arg === 'object' && arg !== null && (arg as ImageNode).kind === 'image') return (arg as Extract<ImageNode, { kind: 'image' }>).image;
  const images = await deps.engine.images();
  if (typeof arg === 'string') return images.find((i) => i.name === arg || i.shortName === arg) ?? { name: arg, shortName: arg, digest: '', size: 0, platform: '', pulledAt: '', usedBy: [] };
  if (images.length === 0) {
    void vscode.window.showInformationMessage('The image store is empty. Pull one with "Isolation Spectrum: Pull Image...".');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    images.map((i) => ({ label: i.shortName, description: i.digest.slice(0, 19), image: i })),
    { placeHolder: 'Choose an image' },
  );
  return pick?.image;
}

export const removeImage: CommandFactory = (deps) => async (arg?: unknown) => {
  const image = await resolveImage(deps, arg);
  if (!image) return undefined;
  if (image.usedBy.length) {
    const ok = `Remove ${image.shortName}`;
    const sure = await vscode.window.showWarningMessage(
      `${image.shortName} is used by ${image.usedBy.join(', ')}. Remove its name anyway? Its files stay until those sandboxes are gone and the store is pruned.`,
      { modal: true },
      ok,
    );
    if (sure !== ok) return undefined;
  }
  try {
    const removed = await deps.engine.removeImage(image.name);
    deps.output.info(`removed image ${removed.name} (${removed.digest}); prune frees its bytes`);
    deps.views.images.refresh();
    return removed;
  } catch (e) {
    await reportError(deps, `Remove ${image.shortName} failed`, e);
    return undefined;
  }
};

export const pruneImages: CommandFactory = (deps) => async () => {
  try {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Pruning the image store' }, () => deps.engine.pruneImages());
    const what = `${r.blobs} blob${r.blobs === 1 ? '' : 's'}, ${r.rootfs} unpacked root${r.rootfs === 1 ? '' : 's'}, ${r.disks} disk${r.disks === 1 ? '' : 's'}`;
    deps.output.info(`pruned the image store: freed ${r.bytes} bytes (${what})`);
    deps.views.images.refresh();
    void vscode.window.showInformationMessage(r.bytes ? `Freed ${formatBytes(r.bytes)} (${what}).` : 'Nothing to prune: every stored file belongs to an image or a sandbox.');
    return r;
  } catch (e) {
    await reportError(deps, 'Prune failed', e);
    return undefined;
  }
};

export const refreshImages: CommandFactory = (deps) => () => deps.views.images.refresh();
