// Finds the note files under workspace folders, skipping excluded directories without entering them.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type NotesSettings, isExcludedDir, isNotePath } from './settings';

const MAX_FILES = 20000;

export async function scanNotes(folderUris: string[], settings: NotesSettings): Promise<string[]> {
  const found: string[] = [];
  for (const folderUri of folderUris) {
    if (!folderUri.startsWith('file:')) continue;
    const root = fileURLToPath(folderUri);
    const stack = [''];
    while (stack.length && found.length < MAX_FILES) {
      const rel = stack.pop() as string;
      let entries;
      try {
        entries = await readdir(path.join(root, rel), { withFileTypes: true });
      } catch {
        continue; // unreadable or vanished directory: nothing to index there
      }
      for (const e of entries) {
        const childRel = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!isExcludedDir(childRel, settings)) stack.push(childRel);
        } else if (e.isFile() && /\.md$/i.test(e.name) && isNotePath(childRel, settings)) {
          found.push(pathToFileURL(path.join(root, childRel)).href);
        }
      }
    }
  }
  return found;
}
