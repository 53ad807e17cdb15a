// Spec-specific touches on the generic providers: which levels use a field (hover) and fields
// the current level ignores sorted last (completion).
import type { CompletionItem } from 'vscode-languageserver-types';
import { isIsolation, LEVEL_FIELDS } from '../../../engine/spec/levels';
import { prop, type PathSegment } from '../../../engine/spec/tree';
import { ISOLATION_LEVELS } from '../../../engine/spec/types';
import { rootAt, type ConfigDocument } from '../configDocument';
import { exportProblems } from '../../../engine/export/problems';
import { runtimeClassFor } from '../../../engine/export/runtime-classes';
import { buildSandbox } from '../../../engine/spec/model';
import type { CheckedSpec } from '../../../engine/spec/check';
import type { SpecDiagnostic } from '../../../engine/spec/types';

/** What Export to Kubernetes makes of a level (default names; the setting may rename them). */
export function kubernetesLevelText(level: string): string {
  if (!isIsolation(level)) return '';
  if (level === 'isolate') return 'Kubernetes: no equivalent (a pod runs containers, not V8 isolates); Export to Kubernetes refuses it.';
  const rc = runtimeClassFor(level);
  return rc
    ? `Kubernetes: \`runtimeClassName: ${rc}\` (name configurable in \`isolationSpectrum.kubernetes.runtimeClasses\`).`
    : "Kubernetes: no runtimeClassName, the cluster's default runtime (runc).";
}

export function levelHover(path: PathSegment[], cd?: ConfigDocument, rootIndex?: number): string | undefined {
  if (path.length !== 1 || typeof path[0] !== 'string') return undefined;
  if (path[0] === 'isolation' && cd && rootIndex !== undefined) {
    const level = prop(cd.roots.find((r) => r.index === rootIndex)?.root, 'isolation')?.value.value;
    if (typeof level === 'string' && isIsolation(level)) return kubernetesLevelText(level);
  }
  const row = LEVEL_FIELDS[path[0]];
  if (!row) return undefined;
  const by = (role: string) => ISOLATION_LEVELS.filter((l) => row[l] === role);
  const parts: string[] = [];
  if (by('needs').length && by('needs').length < ISOLATION_LEVELS.length) parts.push(`needed by ${by('needs').join(', ')}`);
  if (by('drops').length) parts.push(`no effect at ${by('drops').join(', ')}`);
  return parts.length ? `Levels: ${parts.join('; ')}.` : undefined;
}

export function levelDecorator(objectPath: PathSegment[], key: string, item: CompletionItem, cd: ConfigDocument, offset: number): void {
  if (objectPath.length !== 0) return;
  const level = prop(rootAt(cd, offset)?.root, 'isolation')?.value.value;
  if (!isIsolation(level)) return;
  const role = LEVEL_FIELDS[key]?.[level];
  if (role === 'drops') {
    item.sortText = '9' + key;
    item.detail = `${item.detail ?? ''} (no effect at ${level})`;
  } else if (role === 'needs') item.sortText = '0' + key;
}

/**
 * Hints (faint: most specs never go to a cluster) on what Export to Kubernetes would refuse, with
 * the reason, at the key it is about. Only documents that are otherwise free of errors.
 */
export function exportHints(cd: ConfigDocument, spec: CheckedSpec): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  if (spec.syntax.some((d) => d.severity === 'error')) return out;
  for (const c of spec.checked) {
    if (c.doc.syntaxErrors || c.diagnostics.some((d) => d.severity === 'error')) continue;
    // The file's own path only resolves relative paths, which change no export decision.
    const s = buildSandbox(c.doc.root, '/spec.sandbox.yaml', c.doc.index);
    if (!s) continue;
    for (const p of exportProblems(s)) {
      if (p.severity !== 'error') continue;
      const key = prop(c.doc.root, p.field);
      const [start, end] = key ? [key.keyStart, key.keyEnd] : [c.doc.root.start, c.doc.root.start];
      out.push({ range: cd.lines.range(start, end), severity: 'hint', code: p.code, message: `Export to Kubernetes: ${p.message}` });
    }
  }
  return out;
}
