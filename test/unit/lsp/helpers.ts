// Fixtures for the pure service: documents, an in-memory file system, text edit application.
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import type { FileKind, FileSystem } from '../../../language-server/service/fs';
import { pathToUri } from '../../../language-server/service/uri';
import { applyEdits } from '../spec/edits';

export const ROOT = path.resolve('/ws');

export function doc(name: string, text: string, languageId?: string, version = 1): TextDocument {
  const lang = languageId ?? (name.endsWith('.sandbox.yaml') ? 'sandbox' : name.endsWith('.json') ? 'json' : 'plaintext');
  return TextDocument.create(pathToUri(path.join(ROOT, name)), lang, version, text);
}

/** Files under ROOT; a name ending in `/` is a directory. */
export function memoryFs(entries: string[]): FileSystem {
  const kinds = new Map<string, FileKind>();
  const add = (p: string, k: FileKind) => {
    kinds.set(p, k);
    const parent = path.dirname(p);
    if (parent !== p && !kinds.has(parent)) add(parent, 'directory');
  };
  for (const e of entries) add(path.join(ROOT, e.replace(/\/$/, '')), e.endsWith('/') ? 'directory' : 'file');
  return {
    stat: (p) => kinds.get(path.resolve(p)),
    readDirectory: (p) => [...kinds].filter(([q]) => path.dirname(q) === path.resolve(p) && q !== path.resolve(p)).map(([q, k]): [string, FileKind] => [path.basename(q), k]),
  };
}

/** Position of the n-th occurrence of `needle` (plus `delta` characters) in `text`. */
export function at(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, i + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

export function apply(text: string, edits: TextEdit[]): string {
  return applyEdits(text, edits);
}

export function hoverText(h: { contents: unknown } | null): string {
  if (!h) return '';
  const c = h.contents as { value?: string } | string;
  return typeof c === 'string' ? c : (c.value ?? '');
}
