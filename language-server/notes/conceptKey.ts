// Concept names resolve ignoring case, spacing, hyphens and a plural ending, so "PCI passthrough",
// "PCI Passthrough" and "pci-passthroughs" are the same concept. Shared with the preview plugin.

function singular(word: string): string {
  if (word.length < 3 || /(ss|us|is)$/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(sses|xes|ches|shes|zes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

// Link targets and headings repeat across a workspace: remember recent keys (bounded).
const memo = new Map<string, string>();
const MEMO_LIMIT = 50_000;

export function conceptKey(name: string): string {
  let k = memo.get(name);
  if (k === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    k = computeKey(name);
    memo.set(name, k);
  }
  return k;
}

function computeKey(name: string): string {
  // NFKC only matters beyond ASCII, and it is the dearest step on the indexing path.
  const k = (/^[\x00-\x7f]*$/.test(name) ? name : name.normalize('NFKC'))
    .toLowerCase()
    .replace(/['\u2019]s\b/g, '')
    .replace(/[`*"[\]()]/g, ' ')
    .replace(/[\s\-_]+/g, ' ')
    .trim();
  const m = /^(.*?)([a-z]+)$/.exec(k);
  return m ? m[1] + singular(m[2]) : k;
}
