// Go to definition on a path-valued field opens the file it names.
import path from 'node:path';
import type { Location } from 'vscode-languageserver-types';
import { schemaAt } from '../../../engine/spec/schema';
import { locate } from '../../../engine/spec/tree';
import type { Position } from '../../../engine/spec/types';
import { rootAt, type ConfigDocument } from '../configDocument';
import type { FileSystem } from '../fs';
import { pathToUri } from '../uri';
import { resolveSpecPath } from '../../../engine/spec/model';

export function pathDefinition(cd: ConfigDocument, pos: Position, fs: FileSystem, baseDir: string | undefined): Location | null {
  if (!baseDir) return null;
  const offset = cd.lines.offsetAt(pos);
  const r = rootAt(cd, offset);
  if (!r) return null;
  const loc = locate(r.root, offset);
  if (loc.onKey || loc.node.kind !== 'string' || typeof loc.node.value !== 'string' || !loc.node.value) return null;
  const s = schemaAt(cd.schema, loc.path);
  if (!s?.['x-path']) return null;
  const target = resolveSpecPath(loc.node.value, baseDir);
  if (fs.stat(target) !== 'file') return null;
  return { uri: pathToUri(path.normalize(target)), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}
