// The extension's entry to the preview plugin: a concept index seeded with the built-in notes,
// refreshed from the server's notifications, and the `extendMarkdownIt` VS Code calls.
import type MarkdownIt from 'markdown-it';
import * as vscode from 'vscode';
import { ConceptIndex, readBuiltinConcepts } from './conceptIndex';
import { extendMarkdownIt } from './plugin';

export { ConceptIndex, extendMarkdownIt };

export interface NotesPreview {
  readonly index: ConceptIndex;
  extendMarkdownIt(md: MarkdownIt): MarkdownIt;
}

/** `notesDir` is the extension's built-in `notes/` folder (`context.asAbsolutePath('notes')`). */
export function createNotesPreview(context: vscode.ExtensionContext, notesDir = context.asAbsolutePath('notes')): NotesPreview {
  const index = new ConceptIndex(readBuiltinConcepts(notesDir));
  // Open previews re-render with the new concepts (links to new notes, fresh tooltips).
  context.subscriptions.push(index.onDidChange(() => void vscode.commands.executeCommand('markdown.preview.refresh')));
  return { index, extendMarkdownIt: (md) => extendMarkdownIt(md, index) };
}
