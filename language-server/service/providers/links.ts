// Document links: every path-valued field whose file exists becomes clickable.
import path from 'node:path';
import type { DocumentLink } from 'vscode-languageserver-types';
import { resolveSpecPath } from '../../../engine/spec/model';
import { childSchema, resolveRef, type JsonSchema } from '../../../engine/spec/schema';
import type { TreeNode } from '../../../engine/spec/tree';
import type { ConfigDocument } from '../configDocument';
import type { FileSystem } from '../fs';
import { pathToUri } from '../uri';

export function pathLinks(cd: ConfigDocument, fs: FileSystem, baseDir: string | undefined): DocumentLink[] {
  if (!baseDir) return [];
  const out: DocumentLink[] = [];
  const walk = (n: TreeNode, s: JsonSchema | undefined, depth: number): void => {
    if (!s || depth > 50 || out.length > 500) return;
    if (n.kind === 'string' && typeof n.value === 'string' && n.value && s['x-path']) {
      const target = resolveSpecPath(n.value, baseDir);
      if (fs.stat(target) === 'file') {
        // Quotes are part of a JSON string node; the link covers the path only.
        const quoted = /^["']/.test(cd.text[n.start] ?? '');
        out.push({ range: cd.lines.range(n.start + (quoted ? 1 : 0), n.end - (quoted ? 1 : 0)), target: pathToUri(path.normalize(target)) });
      }
    }
    for (const p of n.properties ?? []) walk(p.value, childSchema(cd.schema, s, p.key), depth + 1);
    (n.items ?? []).forEach((it, i) => walk(it, childSchema(cd.schema, s, i), depth + 1));
  };
  for (const r of cd.roots) walk(r.root, resolveRef(cd.schema, cd.schema), 0);
  return out;
}
