// Workspace symbols for concepts that VS Code's own Markdown heading search cannot find: the
// built-in concepts, and workspace concepts reached through one of their aliases. Workspace
// headings matched by name are left to VS Code, so no symbol is listed twice.
import { SymbolKind, type WorkspaceSymbol } from 'vscode-languageserver-types';
import type { NotesIndex } from '../notesIndex';

const LIMIT = 500;

function matches(query: string, name: string): boolean {
  // Subsequence match, as VS Code's own symbol picker filters.
  let i = 0;
  for (const ch of name.toLowerCase()) if (ch === query[i]) i++;
  return i === query.length;
}

export function workspaceSymbols(index: NotesIndex, query: string): WorkspaceSymbol[] {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const out: WorkspaceSymbol[] = [];
  for (const def of index.concepts()) {
    const byName = !q || matches(q, def.heading.name);
    const byAlias = !!q && def.heading.aliases.some((n) => matches(q, n));
    if (def.file.builtin ? !byName && !byAlias : byName || !byAlias) continue;
    out.push({
      name: def.heading.name,
      kind: SymbolKind.Key,
      containerName: def.file.builtin ? 'built-in concept' : 'concept',
      location: { uri: def.file.uri, range: def.heading.nameRange },
    });
    if (out.length >= LIMIT) break;
  }
  return out;
}
