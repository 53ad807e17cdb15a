// "Run in <level>" and "Run across the spectrum" above live fenced blocks. Unmarked blocks get none.
import type { CodeLens } from 'vscode-languageserver-types';
import { ISOLATION_LEVELS } from '../../../engine/spec/types';
import { RUN_BLOCK_COMMAND, type RunBlockArgs } from '../../protocol';
import type { NoteFile } from '../parseNote';

export function liveBlockLenses(file: NoteFile): CodeLens[] {
  const out: CodeLens[] = [];
  for (const fence of file.fences) {
    if (!fence.live) continue;
    const { language, level } = fence.live;
    if (!(ISOLATION_LEVELS as readonly string[]).includes(level)) continue;
    const range = { start: { line: fence.line, character: 0 }, end: { line: fence.line, character: 0 } };
    const base = { uri: file.uri, line: fence.line, language: language as RunBlockArgs['language'], code: fence.code };
    const one: RunBlockArgs = { ...base, levels: [level] };
    const all: RunBlockArgs = { ...base, levels: 'all' };
    out.push({ range, command: { title: `▶ Run in ${level}`, command: RUN_BLOCK_COMMAND, arguments: [one] } });
    out.push({ range, command: { title: 'Run across the spectrum', command: RUN_BLOCK_COMMAND, arguments: [all] } });
  }
  return out;
}
