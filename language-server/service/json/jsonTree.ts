// jsonc-parser's tree to the format-neutral tree the schema checker walks.
import type { Node } from 'jsonc-parser';
import type { TreeNode, TreeProperty } from '../../../engine/spec/tree';

export function fromJson(node: Node | undefined, fallback: number, depth = 0): TreeNode {
  if (!node || depth > 200) return { kind: 'null', start: fallback, end: fallback, value: null };
  const start = node.offset;
  const end = node.offset + node.length;
  switch (node.type) {
    case 'object': {
      const properties: TreeProperty[] = [];
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        if (!k) continue;
        const keyEnd = k.offset + k.length;
        properties.push({ key: String(k.value ?? ''), keyStart: k.offset, keyEnd, value: v ? fromJson(v, keyEnd, depth + 1) : { kind: 'null', start: keyEnd, end: keyEnd, value: null } });
      }
      return { kind: 'object', start, end, properties };
    }
    case 'array':
      return { kind: 'array', start, end, items: (node.children ?? []).map((c) => fromJson(c, start, depth + 1)) };
    case 'string':
      return { kind: 'string', start, end, value: String(node.value) };
    case 'number':
      return { kind: 'number', start, end, value: Number(node.value) };
    case 'boolean':
      return { kind: 'boolean', start, end, value: node.value === true };
    case 'null':
      return { kind: 'null', start, end, value: null };
    default:
      return { kind: 'other', start, end };
  }
}
