// Outline: one symbol per sandbox (YAML document) or per top-level section (JSON), with keys below.
import type { DocumentSymbol, SymbolKind } from 'vscode-languageserver-types';
import type { TreeNode } from '../../../engine/spec/tree';
import type { ConfigDocument } from '../configDocument';

const KIND: Record<TreeNode['kind'], SymbolKind> = { object: 19, array: 18, string: 15, number: 16, boolean: 17, null: 21, other: 13 };
/** Keys that name an array item better than its index. */
const ITEM_NAMES = ['name', 'drive_id', 'iface_id', 'id', 'destination', 'type', 'source'];

function itemName(n: TreeNode, i: number): string {
  for (const k of ITEM_NAMES) {
    const v = n.properties?.find((p) => p.key === k)?.value;
    if (v && (v.kind === 'string' || v.kind === 'number')) return String(v.value);
  }
  return String(i);
}

export function treeSymbols(cd: ConfigDocument, node: TreeNode, depth: number): DocumentSymbol[] {
  if (depth <= 0) return [];
  const out: DocumentSymbol[] = [];
  const r = (s: number, e: number) => cd.lines.range(s, Math.max(s, e));
  if (node.kind === 'object') {
    for (const p of node.properties ?? []) {
      const end = Math.max(p.keyEnd, p.value.end);
      const scalar = p.value.kind !== 'object' && p.value.kind !== 'array';
      out.push({
        name: p.key || '""',
        kind: KIND[p.value.kind],
        ...(scalar && p.value.value !== undefined ? { detail: String(p.value.value).slice(0, 60) } : {}),
        range: r(p.keyStart, end),
        selectionRange: r(p.keyStart, p.keyEnd),
        children: treeSymbols(cd, p.value, depth - 1),
      });
    }
  } else if (node.kind === 'array') {
    (node.items ?? []).slice(0, 200).forEach((it, i) => {
      if (it.kind !== 'object') return;
      out.push({ name: itemName(it, i), kind: KIND.object, range: r(it.start, it.end), selectionRange: r(it.start, it.start), children: treeSymbols(cd, it, depth - 1) });
    });
  }
  return out;
}
