// Engine-side diagnostics and fixes to LSP shapes.
import type { CodeAction, Diagnostic, DiagnosticSeverity, DiagnosticTag, TextEdit } from 'vscode-languageserver-types';
import type { SpecDiagnostic, SpecEdit, SpecFix } from '../../engine/spec/types';

export const SOURCE = 'isolation-spectrum';

const SEVERITY: Record<SpecDiagnostic['severity'], DiagnosticSeverity> = { error: 1, warning: 2, information: 3, hint: 4 };
const UNNECESSARY: DiagnosticTag = 1;
const DEPRECATED: DiagnosticTag = 2;

export function toLspDiagnostic(d: SpecDiagnostic): Diagnostic {
  const tags: DiagnosticTag[] = [];
  if (d.code === 'field-not-for-level') tags.push(UNNECESSARY);
  if (d.code === 'renamed-key' || d.code === 'deprecated-key') tags.push(DEPRECATED);
  return { range: d.range, severity: SEVERITY[d.severity], code: d.code, source: SOURCE, message: d.message, ...(tags.length ? { tags } : {}) };
}

export function toTextEdits(edits: SpecEdit[]): TextEdit[] {
  return edits.map((e) => ({ range: e.range, newText: e.newText }));
}

export function fixToAction(uri: string, fix: SpecFix, diagnostic: SpecDiagnostic | undefined, kind: string, preferred = false): CodeAction {
  return {
    title: fix.title,
    kind,
    ...(diagnostic ? { diagnostics: [toLspDiagnostic(diagnostic)] } : {}),
    ...(preferred ? { isPreferred: true } : {}),
    edit: { changes: { [uri]: toTextEdits(fix.edits) } },
  };
}
