// The one markdown-it setup shared by the language server and the preview plugin. markdown-it is
// injected (not imported here) so each side passes its own instance: VS Code hands the preview a
// configured instance, the server builds one. Both then agree on blocks, fences and wiki links.
import type MarkdownIt from 'markdown-it';

/** The subset of a markdown-it block token the notes features read. */
export interface BlockToken {
  type: string;
  tag: string;
  info: string;
  content: string;
  markup: string;
  map: [number, number] | null;
}

/** Small parser interface: the notes index only ever needs block tokens. */
export interface NotesParser {
  parseBlocks(text: string): BlockToken[];
}

/** Wiki-link grammar: `[[Target]]`, `[[Target#Section]]`, `[[Target|label]]`, `[[#Section]]`. */
export const WIKI_LINK_SOURCE = String.raw`\[\[([^\[\]|#\n]*)(?:#([^\[\]|\n]*))?(?:\|([^\[\]\n]*))?\]\]`;

export function wikiLinkRegExp(): RegExp {
  return new RegExp(WIKI_LINK_SOURCE, 'g');
}

export interface WikiLinkParts {
  target: string;
  section?: string;
  label?: string;
}

/** Splits the inside of a matched wiki link. */
export function wikiLinkParts(match: RegExpExecArray): WikiLinkParts {
  const parts: WikiLinkParts = { target: match[1].trim() };
  if (match[2] !== undefined) parts.section = match[2].trim();
  if (match[3] !== undefined) parts.label = match[3].trim();
  return parts;
}

/** Fence info of a live block: `sh sandbox=gvisor`, `js sandbox=isolate`. */
export interface LiveBlockInfo {
  language: string;
  level: string;
}

const LIVE_LANGUAGES: Record<string, string> = { sh: 'sh', bash: 'sh', shell: 'sh', js: 'js', javascript: 'js' };

export function liveBlockInfo(info: string): LiveBlockInfo | undefined {
  const words = info.trim().split(/\s+/);
  const language = LIVE_LANGUAGES[(words[0] ?? '').toLowerCase()];
  if (!language) return undefined;
  for (const w of words.slice(1)) {
    const m = /^sandbox=([a-z]+)$/i.exec(w);
    if (m) return { language, level: m[1].toLowerCase() };
  }
  return undefined;
}

/** Options both sides use, so a note tokenizes the same in the server and in the preview. */
export const NOTES_MARKDOWN_OPTIONS = { html: true, linkify: false } as const;

/**
 * A block-level parser over an injected markdown-it instance. Inline rules are skipped on the
 * server side: it reads headings, fences and line maps, and scans wiki links itself.
 */
export function createNotesParser(md: MarkdownIt): NotesParser {
  md.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join'], true);
  return {
    parseBlocks(text: string): BlockToken[] {
      return md.parse(text, {}) as unknown as BlockToken[];
    },
  };
}
