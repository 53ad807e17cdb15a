// Quick fixes: every diagnostic that carries fixes, at the requested range.
import type { CodeAction, Range } from 'vscode-languageserver-types';
import type { SpecDiagnostic } from '../../../engine/spec/types';
import type { ConfigDocument } from '../configDocument';
import { fixToAction } from '../convert';

export function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

export function kindWanted(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
}

export function quickFixes(cd: ConfigDocument, range: Range, only?: string[]): CodeAction[] {
  if (!kindWanted(only, 'quickfix')) return [];
  const out: CodeAction[] = [];
  for (const d of cd.diagnostics as SpecDiagnostic[]) {
    if (!d.fixes?.length || !overlaps(d.range, range)) continue;
    d.fixes.forEach((f, i) => out.push(fixToAction(cd.uri, f, d, 'quickfix', i === 0 && d.fixes?.length === 1)));
  }
  return out;
}
