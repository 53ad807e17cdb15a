// Paths a spec names that are not on disk: `spectrum up` refuses them and the language server
// shows the same diagnostics. The existence check is injected (engine: the disk; server: its fs).
import type { CheckedSpec } from './check';
import { isIsolation, roleOf } from './levels';
import { resolveSpecPath } from './model';
import { classifyImage, isStoreImage, splitLayoutSpec } from '../images/source';
import { prop, type TreeNode } from './tree';
import type { SpecDiagnostic } from './types';

export interface MissingFile {
  /** Index of the YAML document. */
  document: number;
  diagnostic: SpecDiagnostic;
}

export function missingFiles(spec: CheckedSpec, dir: string, exists: (absolute: string) => boolean): MissingFile[] {
  const out: MissingFile[] = [];
  for (const { doc } of spec.checked) {
    const root = doc.root;
    const level = prop(root, 'isolation')?.value.value;
    if (root.kind !== 'object' || !isIsolation(level)) continue;
    const nodes: TreeNode[] = [];
    const add = (field: string, skip: (v: string) => boolean) => {
      const v = prop(root, field)?.value;
      if (v?.kind === 'string' && typeof v.value === 'string' && v.value && !skip(v.value) && roleOf(field, level) !== 'drops') nodes.push(v);
    };
    add('worker', () => false);
    add('image', (v) => v === 'busybox' || isStoreImage(v));
    if (roleOf('image', level) !== 'drops') {
      const v = prop(root, 'image')?.value;
      const src = v?.kind === 'string' && typeof v.value === 'string' ? classifyImage(v.value) : undefined;
      const local = src?.kind === 'oci-layout' ? splitLayoutSpec(src.spec).dir : src?.kind === 'docker-archive' ? src.path : undefined;
      if (v && local) {
        const abs = resolveSpecPath(local, dir);
        if (!exists(abs)) out.push({ document: doc.index, diagnostic: { range: spec.lines.range(v.start, v.end), severity: 'error', code: 'file-not-found', message: `${local} does not exist (${abs}).` } });
      }
    }
    add('kernel', (v) => v === 'auto');
    if (roleOf('mounts', level) !== 'drops') {
      for (const m of prop(root, 'mounts')?.value.items ?? []) {
        const s = prop(m, 'source')?.value;
        if (s?.kind === 'string' && typeof s.value === 'string' && s.value) nodes.push(s);
      }
    }
    for (const n of nodes) {
      const abs = resolveSpecPath(String(n.value), dir);
      if (exists(abs)) continue;
      out.push({ document: doc.index, diagnostic: { range: spec.lines.range(n.start, n.end), severity: 'error', code: 'file-not-found', message: `${String(n.value)} does not exist (${abs}).` } });
    }
  }
  return out;
}
