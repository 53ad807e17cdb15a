// The preview's local concept index. markdown-it renders synchronously in the extension host, so
// the plugin cannot ask the server: it reads this index, seeded with the built-in notes (parsed
// with the same shared setup as the server) and refreshed by the server's concept notifications.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import MarkdownIt from 'markdown-it';
import { conceptKey } from '../../language-server/notes/conceptKey';
import { NOTES_MARKDOWN_OPTIONS, createNotesParser } from '../../language-server/notes/markdown';
import { parseNote } from '../../language-server/notes/parseNote';
import type { ConceptIndexParams, ConceptSummary } from '../../language-server/protocol';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Parses the built-in notes folder into concept summaries. */
export function readBuiltinConcepts(notesDir: string): ConceptSummary[] {
  const parser = createNotesParser(new MarkdownIt(NOTES_MARKDOWN_OPTIONS));
  const out: ConceptSummary[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(notesDir).filter((f) => f.endsWith('.md'));
  } catch {
    return out; // no built-in notes shipped: the preview still shows workspace concepts
  }
  for (const f of files.sort()) {
    const file = path.join(notesDir, f);
    const note = parseNote(pathToFileURL(file).href, readFileSync(file, 'utf8'), parser, true);
    for (const h of note.headings) {
      out.push({ name: h.name, aliases: h.aliases, uri: note.uri, line: h.line, summary: h.summary, hoverable: true });
    }
  }
  return out;
}

export class ConceptIndex {
  private readonly notes = new Map<string, ConceptSummary[]>();
  private workspace: ConceptSummary[] = [];
  private byKey = new Map<string, ConceptSummary>();
  private termRe: RegExp | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly builtins: ConceptSummary[] = []) {
    this.rebuild();
  }

  /** Applies the server's concept notification: a full replacement or the notes that changed. */
  apply(params: ConceptIndexParams): void {
    if (params.full) this.notes.clear();
    for (const note of params.notes) {
      if (note.concepts.length) this.notes.set(note.uri, note.concepts);
      else this.notes.delete(note.uri);
    }
    this.workspace = [...this.notes.values()].flat();
    this.rebuild();
    for (const l of this.listeners) l();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  resolve(name: string): ConceptSummary | undefined {
    return this.byKey.get(conceptKey(name));
  }

  /** A regular expression matching every hoverable concept name or alias in running text. */
  termPattern(): RegExp | undefined {
    return this.termRe;
  }

  private rebuild(): void {
    const names = new Map<string, ConceptSummary>();
    const aliases = new Map<string, ConceptSummary>();
    // Workspace first, names before aliases: a user's note overrides the built-in concept.
    for (const list of [this.workspace, this.builtins]) {
      for (const c of list) {
        const k = conceptKey(c.name);
        if (!names.has(k)) names.set(k, c);
        for (const a of c.aliases) {
          const ak = conceptKey(a);
          if (!aliases.has(ak)) aliases.set(ak, c);
        }
      }
    }
    this.byKey = new Map([...aliases, ...names]);
    const terms = new Set<string>();
    for (const c of [...this.workspace, ...this.builtins]) {
      if (!c.hoverable) continue;
      for (const t of [c.name, ...c.aliases]) if (t.length >= 2) terms.add(t);
    }
    const alternatives = [...terms]
      .sort((a, b) => b.length - a.length)
      .map((t) => t.split(/[\s\-_]+/).map(escapeRegExp).join('[\\s\\-_]+'));
    // Not inside a word or a path ("/usr/bin/runc"), but either side of "Docker/runc" is a term.
    const start = String.raw`(?:(?<![\w/])|(?<=(?:^|[^\w/.~-])[A-Za-z0-9][\w.-]*/))`;
    this.termRe = alternatives.length ? new RegExp(`${start}(?:${alternatives.join('|')})(?:e?s)?(?![\\w])`, 'giu') : undefined;
  }
}
