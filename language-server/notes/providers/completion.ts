// Completion inside `[[`: concept names, or a concept's sections after `#`. The item list is cached
// per index version and the replace range travels once in itemDefaults, so large workspaces stay fast.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type CompletionItem, CompletionItemKind, type CompletionList, type Position } from 'vscode-languageserver-types';
import type { ConceptDef, NotesIndex } from '../notesIndex';
import type { HeadingInfo } from '../parseNote';
import { baseName, lineText } from './locate';

interface Cached {
  index: NotesIndex;
  version: number;
  /** For `[[Name]]` with the closing brackets already typed, and for a bare `[[Name`. */
  items: CompletionItem[];
  closing: CompletionItem[];
}
let cache: Cached | undefined;
/** Large workspaces: send the best few hundred, not thousands of items per keystroke. */
const MAX_ITEMS = 200;
// Items outlive index versions: an edit re-parses one note, so most headings keep their item.
const itemOf = new WeakMap<HeadingInfo, [CompletionItem, CompletionItem]>();

function firstLine(summary: string): string {
  const line = summary.split('\n')[0];
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

function detail(def: ConceptDef): string {
  const base = baseName(def.file.uri);
  return def.file.builtin ? `built-in · ${base}` : base;
}

function conceptItems(index: NotesIndex): Cached {
  if (cache && cache.index === index && cache.version === index.conceptsVersion) return cache;
  const items: CompletionItem[] = [];
  const closing: CompletionItem[] = [];
  for (const def of index.concepts()) {
    const h = def.heading;
    let pair = itemOf.get(h);
    if (!pair) {
      const item: CompletionItem = {
        label: h.name,
        kind: CompletionItemKind.Reference,
        detail: detail(def),
        // One opening line only: the list is resent on every keystroke, the hover has the rest.
        documentation: h.summary ? { kind: 'markdown', value: firstLine(h.summary) } : undefined,
        filterText: h.aliases.length ? `${h.name} ${h.aliases.join(' ')}` : undefined,
      };
      pair = [item, { ...item, textEditText: `${h.name}]]` }];
      itemOf.set(h, pair);
    }
    items.push(pair[0]);
    closing.push(pair[1]);
  }
  cache = { index, version: index.conceptsVersion, items, closing };
  return cache;
}

export function wikiCompletion(index: NotesIndex, doc: TextDocument, pos: Position, fromUri: string): CompletionList | null {
  const line = lineText(doc, pos.line);
  const before = line.slice(0, pos.character);
  const open = before.lastIndexOf('[[');
  if (open < 0 || before.indexOf(']]', open) >= 0) return null;
  const inner = before.slice(open + 2);
  if (/[[\]|]/.test(inner)) return null;
  const after = line.slice(pos.character);
  const closeAt = /^[^[\]\n]*\]\]/.exec(after);
  const hash = inner.indexOf('#');
  const startChar = hash >= 0 ? open + 3 + hash : open + 2;
  // Replace through an existing `]]` only up to it; otherwise just the typed text.
  const endChar = closeAt ? pos.character + closeAt[0].length - 2 : pos.character;
  const editRange = { start: { line: pos.line, character: startChar }, end: { line: pos.line, character: endChar } };
  if (hash >= 0) {
    const target = inner.slice(0, hash);
    const r = index.resolveLink(fromUri, { target });
    if (!r.def) return { isIncomplete: false, items: [] };
    const items = r.def.file.headings
      .filter((h) => h !== r.def?.heading)
      .map<CompletionItem>((h) => ({
        label: h.name,
        kind: CompletionItemKind.Reference,
        documentation: h.summary ? { kind: 'markdown', value: h.summary } : undefined,
        textEdit: { range: editRange, newText: closeAt ? h.name : `${h.name}]]` },
      }));
    return { isIncomplete: false, items };
  }
  const all = closeAt ? conceptItems(index).items : conceptItems(index).closing;
  const query = inner.trim().toLowerCase();
  const items: CompletionItem[] = [];
  let more = false;
  for (const item of all) {
    if (query && !subsequence(query, (item.filterText ?? item.label).toLowerCase())) continue;
    if (items.length === MAX_ITEMS) {
      more = true;
      break;
    }
    items.push(item);
  }
  // A capped list is marked incomplete, so the client asks again as the user types on.
  return { isIncomplete: more, itemDefaults: { editRange }, items };
}

function subsequence(query: string, text: string): boolean {
  let i = 0;
  for (let k = 0; k < text.length && i < query.length; k++) if (text[k] === query[i]) i++;
  return i === query.length;
}
