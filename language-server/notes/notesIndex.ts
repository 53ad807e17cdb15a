// The merged index of workspace notes and built-in notes. Every table is updated per file (add or
// remove that file's entries), so an edit costs the size of one note, not of the workspace. Links
// are filed under their target's key and resolved only when a query needs them.
import { conceptKey } from './conceptKey';
import type { NotesParser } from './markdown';
import { type HeadingInfo, type LinkInfo, type NoteFile, parseNote } from './parseNote';

export interface ConceptDef {
  file: NoteFile;
  heading: HeadingInfo;
}

export interface ResolvedLink {
  def?: ConceptDef;
  /** The heading the `#Section` part names, when it resolves. */
  section?: HeadingInfo;
}

export interface Backlink {
  uri: string;
  link: LinkInfo;
}

/** key -> uri -> links: removing one file's entries is a map delete. */
type LinkTable = Map<string, Map<string, LinkInfo[]>>;

function addTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function removeFrom<V>(map: Map<string, V[]>, key: string, drop: (v: V) => boolean): void {
  const list = map.get(key);
  if (!list) return;
  const kept = list.filter((v) => !drop(v));
  if (kept.length) map.set(key, kept);
  else map.delete(key);
}

function fileLink(table: LinkTable, key: string, uri: string, link: LinkInfo): void {
  let byUri = table.get(key);
  if (!byUri) table.set(key, (byUri = new Map()));
  const list = byUri.get(uri);
  if (list) list.push(link);
  else byUri.set(uri, [link]);
}

function namesSignature(file: NoteFile): string {
  return file.headings.map((h) => `${h.name}\u0000${h.aliases.join('\u0001')}`).join('\u0002');
}

function keysSignature(file: NoteFile): string {
  return file.headings.map((h) => `${h.level}\u0000${h.key}\u0000${h.aliasKeys.join('\u0001')}`).join('\u0002');
}

function linksSignature(file: NoteFile): string {
  return file.links.map((l) => `${l.target}#${l.section ?? ''}`).join('\u0002');
}

function headingsSignature(file: NoteFile): string {
  return file.headings.map((h) => `${h.line}\u0000${h.name}\u0000${h.aliases.join('\u0001')}\u0000${h.summary}`).join('\u0002');
}

export class NotesIndex {
  private readonly workspace = new Map<string, NoteFile>();
  private readonly builtins = new Map<string, NoteFile>();
  private readonly byName = new Map<string, ConceptDef[]>();
  private readonly byAlias = new Map<string, ConceptDef[]>();
  private readonly byFile = new Map<string, ConceptDef[]>();
  private readonly linksByTarget: LinkTable = new Map();
  private readonly linksBySection: LinkTable = new Map();
  private conceptList: ConceptDef[] | undefined;
  private hoverableCache = new Map<HeadingInfo, boolean>();
  /** Bumped on every change; caches elsewhere compare against it. */
  version = 0;
  /** Bumped only when some note's concept names or aliases change. */
  conceptsVersion = 0;
  /** Bumped when what links resolve to may have changed (concept keys, aliases, heading levels, files). */
  resolutionVersion = 0;
  /** Notes whose concepts (or whose concepts' backlinks) changed since the last drain. */
  private readonly changedUris = new Set<string>();
  /** Keys of link targets added or removed, resolved to notes only when drained. */
  private readonly changedTargets = new Set<string>();

  constructor(private readonly parser: NotesParser) {}

  addBuiltin(uri: string, text: string): void {
    this.replace(this.builtins, uri, parseNote(uri, text, this.parser, true));
  }

  setFile(uri: string, text: string): NoteFile {
    const file = parseNote(uri, text, this.parser);
    this.replace(this.workspace, uri, file);
    return file;
  }

  deleteFile(uri: string): void {
    if (this.workspace.has(uri)) this.replace(this.workspace, uri, undefined);
  }

  hasFile(uri: string): boolean {
    return this.workspace.has(uri);
  }

  getFile(uri: string): NoteFile | undefined {
    return this.workspace.get(uri) ?? this.builtins.get(uri);
  }

  workspaceUris(): string[] {
    return [...this.workspace.keys()];
  }

  /** The notes changed since the last call, for pushing only what moved to the client. */
  drainChanged(): string[] {
    // A link added or removed can make its target hoverable or not: that note changed too.
    for (const key of this.changedTargets) {
      const def = this.resolveKey(key)[0];
      if (def && !def.file.builtin) this.changedUris.add(def.file.uri);
    }
    this.changedTargets.clear();
    const out = [...this.changedUris];
    this.changedUris.clear();
    return out;
  }

  /** Forgets pending changes (after a full push). */
  clearChanged(): void {
    this.changedTargets.clear();
    this.changedUris.clear();
  }

  private markLinkTargets(file: NoteFile | undefined): void {
    for (const link of file?.links ?? []) if (link.target) this.changedTargets.add(conceptKey(link.target));
  }

  private replace(files: Map<string, NoteFile>, uri: string, next: NoteFile | undefined): void {
    const old = files.get(uri);
    const sameShape = !!old && !!next && headingsSignature(old) === headingsSignature(next) && linksSignature(old) === linksSignature(next);
    if (!sameShape && !next?.builtin) {
      this.markLinkTargets(old);
      this.changedUris.add(uri);
    }
    if (!old || !next || keysSignature(old) !== keysSignature(next)) this.resolutionVersion++;
    if (old) this.unindex(old);
    if (next) {
      files.set(uri, next);
      this.index(next);
    } else {
      files.delete(uri);
    }
    if (!sameShape && !next?.builtin) this.markLinkTargets(next);
    this.version++;
    this.hoverableCache = new Map();
    if (old && next && this.conceptList && namesSignature(old) === namesSignature(next)) {
      // Typing in a note's body: same concept names, so patch the list instead of rebuilding it
      // (completion items may show a summary line one edit old until the names change).
      const list = this.conceptList;
      for (let i = 0; i < list.length; i++) {
        if (list[i].file !== old) continue;
        const at = old.headings.indexOf(list[i].heading);
        list[i] = { file: next, heading: next.headings[at] };
      }
      return;
    }
    this.conceptList = undefined;
    this.conceptsVersion++;
  }

  private index(file: NoteFile): void {
    file.headings.forEach((heading, i) => {
      const def = { file, heading };
      addTo(this.byName, heading.key, def);
      for (const k of heading.aliasKeys) addTo(this.byAlias, k, def);
      if (i === 0) addTo(this.byFile, file.fileKey, def);
    });
    if (file.builtin) return; // built-in notes' own links are not workspace backlinks
    for (const link of file.links) {
      fileLink(this.linksByTarget, conceptKey(link.target), file.uri, link);
      if (link.section !== undefined) fileLink(this.linksBySection, conceptKey(link.section), file.uri, link);
    }
  }

  private unindex(file: NoteFile): void {
    const mine = (d: ConceptDef): boolean => d.file === file;
    for (const h of file.headings) {
      removeFrom(this.byName, h.key, mine);
      for (const k of h.aliasKeys) removeFrom(this.byAlias, k, mine);
    }
    removeFrom(this.byFile, file.fileKey, mine);
    for (const link of file.links) {
      for (const [table, key] of [
        [this.linksByTarget, conceptKey(link.target)],
        [this.linksBySection, link.section === undefined ? undefined : conceptKey(link.section)],
      ] as const) {
        if (key === undefined) continue;
        const byUri = table.get(key);
        byUri?.delete(file.uri);
        if (byUri && byUri.size === 0) table.delete(key);
      }
    }
  }

  /** All definitions of a name, best first: workspace heading, built-in heading, aliases, file name. */
  resolveAll(name: string): ConceptDef[] {
    return this.resolveKey(conceptKey(name));
  }

  private resolveKey(key: string): ConceptDef[] {
    if (!key) return [];
    const byName = this.byName.get(key) ?? [];
    const byAlias = this.byAlias.get(key) ?? [];
    const byFile = this.byFile.get(key) ?? [];
    const out: ConceptDef[] = [];
    // Workspace before built-in: a user's note on a concept overrides the built-in one.
    for (const list of [byName, byAlias]) {
      for (const d of list) if (!d.file.builtin) out.push(d);
      for (const d of list) if (d.file.builtin) out.push(d);
    }
    for (const d of byFile) if (!out.some((o) => o.heading === d.heading)) out.push(d);
    return out;
  }

  resolve(name: string): ConceptDef | undefined {
    return this.resolveAll(name)[0];
  }

  resolveLink(fromUri: string, link: { target: string; section?: string }): ResolvedLink {
    let def: ConceptDef | undefined;
    if (link.target === '') {
      const file = this.getFile(fromUri);
      if (file?.headings[0]) def = { file, heading: file.headings[0] };
    } else {
      def = this.resolve(link.target);
    }
    if (!def || link.section === undefined) return { def };
    const sk = conceptKey(link.section);
    const inFile = def.file.headings;
    const start = inFile.indexOf(def.heading);
    const end = def.heading.endLine;
    const section = inFile.slice(start + 1).find((h) => h.line <= end && h.key === sk) ?? inFile.find((h) => h.key === sk);
    return { def, section };
  }

  /** Workspace links that resolve to a heading, as its concept or as a `#Section`. */
  backlinks(heading: HeadingInfo, limit = Infinity): Backlink[] {
    const file = this.fileOf(heading);
    if (!file) return [];
    const out: Backlink[] = [];
    const seen = new Set<LinkInfo>();
    const keys = new Set([heading.key, ...heading.aliasKeys]);
    if (file.headings[0] === heading) keys.add(file.fileKey);
    for (const key of keys) {
      for (const [uri, links] of this.linksByTarget.get(key) ?? []) {
        for (const link of links) {
          if (seen.has(link) || this.resolveLink(uri, link).def?.heading !== heading) continue;
          seen.add(link);
          out.push({ uri, link });
          if (out.length >= limit) return out;
        }
      }
    }
    for (const [uri, links] of this.linksBySection.get(heading.key) ?? []) {
      for (const link of links) {
        if (seen.has(link) || this.resolveLink(uri, link).section !== heading) continue;
        seen.add(link);
        out.push({ uri, link });
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  private fileOf(heading: HeadingInfo): NoteFile | undefined {
    for (const d of this.byName.get(heading.key) ?? []) if (d.heading === heading) return d.file;
    return undefined;
  }

  /** Whether plain-text mentions of this concept get hovers (not every ordinary heading does). */
  isHoverable(def: ConceptDef): boolean {
    if (def.file.builtin || def.heading.aliases.length > 0) return true;
    let v = this.hoverableCache.get(def.heading);
    if (v === undefined) {
      v = this.backlinks(def.heading, 1).length > 0;
      this.hoverableCache.set(def.heading, v);
    }
    return v;
  }

  /** Resolves a phrase for a plain-text hover, or undefined when it is not a hoverable concept. */
  hoverable(phrase: string): ConceptDef[] | undefined {
    const defs = this.resolveAll(phrase);
    return defs.length > 0 && defs.some((d) => this.isHoverable(d)) ? defs : undefined;
  }

  /** One entry per concept name, workspace before built-in, for completion and symbols. */
  concepts(): ConceptDef[] {
    if (this.conceptList) return this.conceptList;
    const out: ConceptDef[] = [];
    for (const defs of this.byName.values()) out.push(defs.find((d) => !d.file.builtin) ?? defs[0]);
    this.conceptList = out;
    return out;
  }
}
