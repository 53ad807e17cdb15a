// A format-neutral syntax tree with source offsets, built from YAML (here) or JSON (jsonc-parser,
// in the language server). The schema checker, hover and completion walk this one shape, so the
// sandbox spec, Firecracker and OCI configs share them.
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';

export type TreeKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' | 'other';

export interface TreeProperty {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: TreeNode;
}

export interface TreeNode {
  kind: TreeKind;
  start: number;
  end: number;
  value?: string | number | boolean | null;
  properties?: TreeProperty[];
  items?: TreeNode[];
  /** YAML flow collection (`{...}`/`[...]`) rather than block style. */
  flow?: boolean;
}

export type PathSegment = string | number;

function rangeOf(node: { range?: [number, number, number] | null } | null | undefined, fallback: number): [number, number] {
  const r = node?.range;
  return r ? [r[0], r[1]] : [fallback, fallback];
}

/** Nesting deeper than any config needs is cut off (as `other`) so no walk can overflow the stack. */
export const MAX_DEPTH = 200;

/** Converts a node of the `yaml` package's AST. `fallback` is the offset used for absent nodes. */
export function fromYaml(node: unknown, fallback: number, depth = 0): TreeNode {
  if (node === null || node === undefined) return { kind: 'null', start: fallback, end: fallback, value: null };
  if (depth > MAX_DEPTH) {
    const r = (node as { range?: [number, number, number] }).range;
    return { kind: 'other', start: r?.[0] ?? fallback, end: r?.[1] ?? fallback };
  }
  if (isMap(node)) {
    const [start, end] = rangeOf(node, fallback);
    const properties: TreeProperty[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = pair.key;
      const [keyStart, keyEnd] = rangeOf(k as never, start);
      const key = isScalar(k) ? String(k.value) : k === null || k === undefined ? '' : String(k);
      properties.push({ key, keyStart, keyEnd, value: fromYaml(pair.value, keyEnd, depth + 1) });
    }
    return { kind: 'object', start, end, properties, flow: !!node.flow };
  }
  if (isSeq(node)) {
    const [start, end] = rangeOf(node, fallback);
    return { kind: 'array', start, end, items: node.items.map((i) => fromYaml(i, start, depth + 1)), flow: !!node.flow };
  }
  if (isScalar(node)) {
    const [start, end] = rangeOf(node, fallback);
    const v = node.value;
    if (v === null || v === undefined) return { kind: 'null', start, end, value: null };
    if (typeof v === 'string') return { kind: 'string', start, end, value: v };
    if (typeof v === 'number') return { kind: 'number', start, end, value: v };
    if (typeof v === 'boolean') return { kind: 'boolean', start, end, value: v };
    if (typeof v === 'bigint') return { kind: 'number', start, end, value: Number(v) };
    return { kind: 'other', start, end };
  }
  if (isAlias(node)) {
    const [start, end] = rangeOf(node, fallback);
    return { kind: 'other', start, end };
  }
  return { kind: 'other', start: fallback, end: fallback };
}

export function prop(node: TreeNode | undefined, key: string): TreeProperty | undefined {
  return node?.properties?.find((p) => p.key === key);
}

/** Plain JS value of a subtree (aliases and odd nodes become undefined). */
export function toValue(node: TreeNode | undefined): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of node.properties ?? []) o[p.key] = toValue(p.value);
      return o;
    }
    case 'array':
      return (node.items ?? []).map(toValue);
    case 'other':
      return undefined;
    default:
      return node.value;
  }
}

export interface TreeLocation {
  /** Keys/indexes from the root to the innermost node holding the offset. */
  path: PathSegment[];
  node: TreeNode;
  /** Set when the offset is on a property's key. */
  onKey?: TreeProperty;
  /** The property whose value holds the offset, if any. */
  property?: TreeProperty;
  /** The innermost object holding the offset (for key completion). */
  object?: TreeNode;
  objectPath?: PathSegment[];
}

/** Finds what lies at `offset`; a cursor right after a token counts as on it (as editors hover). */
export function locate(root: TreeNode, offset: number): TreeLocation {
  const loc: TreeLocation = { path: [], node: root };
  let node = root;
  const path: PathSegment[] = [];
  for (let depth = 0; depth < 200; depth++) {
    if (node.kind === 'object') {
      loc.object = node;
      loc.objectPath = [...path];
      let next: TreeNode | undefined;
      for (const p of node.properties ?? []) {
        if (offset >= p.keyStart && offset <= p.keyEnd && p.keyEnd > p.keyStart) {
          return { ...loc, path: [...path, p.key], node: p.value, onKey: p, property: p };
        }
        if (offset >= p.value.start && offset <= p.value.end && p.value.end > p.value.start) {
          path.push(p.key);
          loc.property = p;
          next = p.value;
          break;
        }
      }
      if (!next) break;
      node = next;
    } else if (node.kind === 'array') {
      const items = node.items ?? [];
      const i = items.findIndex((it) => offset >= it.start && offset <= it.end && it.end > it.start);
      if (i < 0) break;
      path.push(i);
      node = items[i];
    } else break;
  }
  return { ...loc, path: [...path], node };
}
