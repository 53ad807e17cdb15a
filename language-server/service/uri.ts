// file:// URIs <-> paths, without a URI library: only file URIs name things on disk.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).toString();
}

export function baseName(uri: string): string {
  const last = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last; // a malformed escape: the raw name is the best answer
  }
}

/** Directory a document's relative paths resolve against (undefined for non-file documents). */
export function documentDir(uri: string): string | undefined {
  const p = uriToPath(uri);
  return p === undefined ? undefined : path.dirname(p);
}
