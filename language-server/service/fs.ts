// The file system the service reads (path completion, go to definition, existence checks),
// injected so tests run on an in-memory tree and the service stays pure.
import { readdirSync, statSync } from 'node:fs';

export type FileKind = 'file' | 'directory';

export interface FileSystem {
  stat(path: string): FileKind | undefined;
  readDirectory(path: string): [string, FileKind][];
}

export const noFileSystem: FileSystem = { stat: () => undefined, readDirectory: () => [] };

/** The real file system, read synchronously: listings are small and requests are sequential. */
export function nodeFileSystem(): FileSystem {
  return {
    stat(p) {
      try {
        const s = statSync(p);
        return s.isDirectory() ? 'directory' : 'file';
      } catch {
        return undefined;
      }
    },
    readDirectory(p) {
      try {
        return readdirSync(p, { withFileTypes: true })
          .slice(0, 500)
          .map((e): [string, FileKind] => [e.name, e.isDirectory() ? 'directory' : 'file']);
      } catch {
        return [];
      }
    },
  };
}
