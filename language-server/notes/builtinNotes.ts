// Loads the built-in concept notes shipped in the extension's `notes/` folder. Found relative to
// this module: `dist/` in the bundle, `language-server/notes/` when run from source.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export function builtinNotesDir(): string | undefined {
  for (const up of ['..', path.join('..', '..')]) {
    const dir = path.resolve(__dirname, up, 'notes');
    if (existsSync(path.join(dir, 'isolation-spectrum.md'))) return dir;
  }
  return undefined;
}

export function loadBuiltinNotes(dir = builtinNotesDir()): Array<{ uri: string; text: string }> {
  if (!dir) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => ({ uri: pathToFileURL(path.join(dir, f)).href, text: readFileSync(path.join(dir, f), 'utf8') }));
}
