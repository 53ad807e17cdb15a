// Applies SpecEdits / LSP TextEdits to a text, refusing overlapping edits as editors do.
import { LineIndex } from '../../../engine/spec/lines';
import type { SpecEdit } from '../../../engine/spec/types';

export function applyEdits(text: string, edits: SpecEdit[]): string {
  const lines = new LineIndex(text);
  const abs = edits.map((e) => ({ s: lines.offsetAt(e.range.start), e: lines.offsetAt(e.range.end), t: e.newText })).sort((a, b) => a.s - b.s || a.e - b.e);
  for (let i = 1; i < abs.length; i++) if (abs[i].s < abs[i - 1].e) throw new Error(`overlapping edits: ${JSON.stringify(abs)}`);
  let out = text;
  for (const x of abs.reverse()) out = out.slice(0, x.s) + x.t + out.slice(x.e);
  return out;
}
