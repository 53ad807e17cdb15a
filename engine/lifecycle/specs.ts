// Turning what the user points at into launchable specs: a spec file (refused on any error
// diagnostic, each named as file:line:col), or an OCI bundle directory run as is.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SandboxSpec, SpecDiagnostic } from '../spec/types';
import { loadSpecFile } from '../spec/load';
import { defaultSpec } from '../spec/defaults';
import { EngineError } from '../errors';

export function formatDiagnostic(file: string, d: SpecDiagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}

export function isBundleDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory() && existsSync(path.join(p, 'config.json'));
}

/** A spec for an OCI bundle directory used as is. */
export function bundleSpec(dir: string, isolation: 'container' | 'gvisor' = 'container', name?: string): SandboxSpec {
  const abs = path.resolve(dir);
  const fallback = path.basename(abs).replace(/[^a-zA-Z0-9_.-]/g, '-') || 'bundle';
  return defaultSpec(name ?? fallback, isolation, abs, { image: abs });
}

export async function specsFromFile(file: string, name?: string): Promise<SandboxSpec[]> {
  const abs = path.resolve(file);
  if (!existsSync(abs)) throw new EngineError(`${file}: no such file`);
  const loaded = await loadSpecFile(abs);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    throw new EngineError(`${file}: the spec has ${errors.length} error(s):\n${errors.map((d) => `  ${formatDiagnostic(abs, d)}`).join('\n')}`, errors);
  }
  const picked = name ? loaded.sandboxes.filter((s) => s.name === name) : loaded.sandboxes;
  if (name && !picked.length) {
    throw new EngineError(`${file}: no sandbox named '${name}' (it has: ${loaded.sandboxes.map((s) => s.name).join(', ') || 'none'})`);
  }
  if (!picked.length) throw new EngineError(`${file}: no sandbox in this file`);
  return picked;
}
