// Broken wiki links and badly marked live blocks in a note.
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { ISOLATION_LEVELS } from '../../../engine/spec/types';
import type { NotesIndex } from '../notesIndex';
import type { NoteFile } from '../parseNote';

export const SOURCE = 'isolation-spectrum';

export interface BrokenLinkData {
  target: string;
}

export function noteDiagnostics(index: NotesIndex, file: NoteFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const link of file.links) {
    const r = index.resolveLink(file.uri, link);
    if (!r.def) {
      if (!link.target) continue;
      out.push({
        range: link.targetRange,
        severity: DiagnosticSeverity.Warning,
        source: SOURCE,
        code: 'broken-link',
        message: `No note defines "${link.target}".`,
        data: { target: link.target } satisfies BrokenLinkData,
      });
    } else if (link.section !== undefined && !r.section && link.sectionRange) {
      out.push({
        range: link.sectionRange,
        severity: DiagnosticSeverity.Warning,
        source: SOURCE,
        code: 'broken-section',
        message: `"${r.def.heading.name}" has no section "${link.section}".`,
      });
    }
  }
  for (const fence of file.fences) {
    if (!fence.live) continue;
    const range = { start: { line: fence.line, character: 0 }, end: { line: fence.line, character: fence.info.length + 3 } };
    const { language, level } = fence.live;
    let message: string | undefined;
    if (!(ISOLATION_LEVELS as readonly string[]).includes(level)) {
      message = `Unknown sandbox level "${level}"; use one of ${ISOLATION_LEVELS.join(', ')}.`;
    } else if (language === 'sh' && level === 'isolate') {
      message = 'An isolate has no shell and makes no syscalls: run sh blocks at container, gvisor, microvm or vm.';
    } else if (language === 'js' && level !== 'isolate') {
      message = 'js blocks run as a Worker module, so only at sandbox=isolate.';
    }
    if (message) out.push({ range, severity: DiagnosticSeverity.Warning, source: SOURCE, code: 'live-block-level', message });
  }
  return out;
}
