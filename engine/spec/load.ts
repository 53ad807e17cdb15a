// The engine's entry to specs: text or file in, launchable sandboxes and diagnostics out.
// `sandboxes` holds only the documents without error diagnostics; callers refuse to launch
// anything while `diagnostics` has an error (what the language server shows is the same list).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkSpecText } from './check';
import { buildSandbox } from './model';
import { missingFiles } from './files';
import type { SandboxSpec, SpecDiagnostic } from './types';

export interface LoadedSpec {
  sandboxes: SandboxSpec[];
  diagnostics: SpecDiagnostic[];
}

export function loadSpecText(text: string, file: string): LoadedSpec {
  const abs = path.resolve(file);
  const spec = checkSpecText(text);
  const sandboxes: SandboxSpec[] = [];
  const syntaxBroken = spec.syntax.some((d) => d.severity === 'error');
  for (const c of spec.checked) {
    if (c.doc.syntaxErrors || c.diagnostics.some((d) => d.severity === 'error')) continue;
    // A syntax error anywhere can shift what later documents mean: launch nothing then.
    if (syntaxBroken) continue;
    const s = buildSandbox(c.doc.root, abs, c.doc.index);
    if (s) sandboxes.push(s);
  }
  return { sandboxes, diagnostics: spec.diagnostics };
}

/** Like loadSpecText, and also refuses paths the spec names that do not exist. */
export async function loadSpecFile(file: string): Promise<LoadedSpec> {
  const abs = path.resolve(file);
  const text = await readFile(abs, 'utf8');
  const loaded = loadSpecText(text, abs);
  const missing = missingFiles(checkSpecText(text), path.dirname(abs), existsSync);
  if (!missing.length) return loaded;
  const bad = new Set(missing.map((m) => m.document));
  return {
    sandboxes: loaded.sandboxes.filter((s) => !bad.has(s.source.document)),
    diagnostics: [...loaded.diagnostics, ...missing.map((m) => m.diagnostic)],
  };
}
