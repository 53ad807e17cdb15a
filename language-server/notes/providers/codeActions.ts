// Quick fix for a broken wiki link: create the missing note beside the current one.
import type { CodeAction, CodeActionContext } from 'vscode-languageserver-types';
import type { BrokenLinkData } from './diagnostics';

export function noteFileName(concept: string): string {
  const slug = concept
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${slug || 'note'}.md`;
}

export function createNoteActions(docUri: string, context: CodeActionContext): CodeAction[] {
  const out: CodeAction[] = [];
  const dir = docUri.slice(0, docUri.lastIndexOf('/') + 1);
  for (const d of context.diagnostics) {
    if (d.code !== 'broken-link') continue;
    const target = (d.data as BrokenLinkData | undefined)?.target;
    if (!target) continue;
    const uri = `${dir}${noteFileName(target)}`;
    out.push({
      title: `Create note "${target}"`,
      kind: 'quickfix',
      diagnostics: [d],
      isPreferred: true,
      edit: {
        documentChanges: [
          { kind: 'create', uri, options: { ignoreIfExists: true } },
          {
            textDocument: { uri, version: null },
            edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `# ${target}\n\n- \n\n` }],
          },
        ],
      },
    });
  }
  return out;
}
