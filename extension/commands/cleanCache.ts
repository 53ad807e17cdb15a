// `isolationSpectrum.cleanCache`: removes what the engine cached (guest kernels, initramfs
// images, bundles) and says how much space that freed. The e2e toolchain shares the cache root
// and is kept.
import { readdir, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { enginePaths } from '../../engine/state/paths';
import { reportError, type CommandFactory } from './deps';

const KEEP = new Set(['toolchain']);

async function sizeOf(p: string): Promise<number> {
  const st = await stat(p).catch(() => undefined);
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of await readdir(p)) total += await sizeOf(path.join(p, name));
  return total;
}

export const cleanCache: CommandFactory = (deps) => async () => {
  try {
    const root = enginePaths(deps.env()).cache;
    const entries = (await readdir(root).catch(() => [] as string[])).filter((n) => !KEEP.has(n));
    let freed = 0;
    for (const name of entries) {
      const p = path.join(root, name);
      freed += await sizeOf(p);
      await rm(p, { recursive: true, force: true });
    }
    const mib = (freed / 1024 / 1024).toFixed(1);
    deps.output.info(`cleaned ${root}: ${entries.join(', ') || 'nothing'} (${mib} MiB)`);
    void vscode.window.showInformationMessage(`Isolation Spectrum cache cleaned: ${mib} MiB freed.`);
    return freed;
  } catch (e) {
    await reportError(deps, 'Cleaning the cache failed', e);
    return 0;
  }
};
