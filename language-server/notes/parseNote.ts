// Reads one Markdown note into what the index needs: headings (concepts) with aliases and opening
// lines, wiki links with exact ranges, and fenced blocks. Line numbers and columns are LSP's.
import type { Range } from 'vscode-languageserver-types';
import { conceptKey } from './conceptKey';
import { type NotesParser, liveBlockInfo, wikiLinkParts, wikiLinkRegExp } from './markdown';

export interface HeadingInfo {
  name: string;
  key: string;
  level: number;
  line: number;
  /** Range of the heading's text (what a rename replaces). */
  nameRange: Range;
  aliases: string[];
  aliasKeys: string[];
  /** The section's opening block (see `summaryOf`), Markdown, for hovers. */
  summary: string;
  /** Last line of the section, subsections included. */
  endLine: number;
}

export interface LinkInfo {
  range: Range;
  target: string;
  targetRange: Range;
  section?: string;
  sectionRange?: Range;
  label?: string;
}

export interface FenceInfo {
  line: number;
  endLine: number;
  info: string;
  code: string;
  /** Set when the info string marks a live block (`sh sandbox=gvisor`). */
  live?: { language: string; level: string };
}

export interface NoteFile {
  uri: string;
  /** Key of the file's base name, so `[[pci-passthrough]]` finds `pci-passthrough.md`. */
  fileKey: string;
  builtin: boolean;
  headings: HeadingInfo[];
  links: LinkInfo[];
  fences: FenceInfo[];
}

const ALIAS_LINE = /^\s*(?:[-*+]\s+)?(?:\*\*|__|\*|_)?aliases?(?:\*\*|__|\*|_)?\s*:(?:\*\*|__|\*|_)?\s*(.*)$/i;
// Bounds on a hover's text, so one huge paragraph cannot flood a hover or the preview index.
const SUMMARY_LINES = 12;
const SUMMARY_CHARS = 1500;

function splitAliases(text: string): string[] {
  return text
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((a) => a.trim().replace(/^[`'"*_]+|[`'"*_]+$/g, '').trim())
    .filter((a) => a.length > 0 && a.length < 80);
}

/** Blanks a leading YAML front matter block (keeping line numbers) and returns its aliases. */
function frontMatter(lines: string[]): string[] {
  if (lines[0]?.trim() !== '---') return [];
  const aliases: string[] = [];
  for (let i = 1; i < lines.length && i < 200; i++) {
    if (lines[i].trim() === '---' || lines[i].trim() === '...') {
      for (let j = 1; j < i; j++) {
        const m = /^aliases\s*:\s*(.*)$/i.exec(lines[j]);
        if (m && m[1].trim()) aliases.push(...splitAliases(m[1]));
        else if (m) {
          for (let k = j + 1; k < i && /^\s*-\s+/.test(lines[k]); k++) aliases.push(...splitAliases(lines[k].replace(/^\s*-\s+/, '')));
        }
      }
      for (let j = 0; j <= i; j++) lines[j] = '';
      return aliases;
    }
  }
  return [];
}

/** Column ranges of inline code spans on one line, so links inside them are ignored. */
function codeSpans(line: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const re = /`+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) {
    const start = m.index;
    const ticks = m[0];
    let close = -1;
    let search = start + ticks.length;
    while (search < line.length) {
      const at = line.indexOf(ticks, search);
      if (at < 0) break;
      let end = at + ticks.length;
      if (line[end] === '`' || line[at - 1] === '`') {
        while (line[end] === '`') end++;
        search = end;
        continue;
      }
      close = end;
      break;
    }
    if (close < 0) continue;
    spans.push([start, close]);
    re.lastIndex = close;
  }
  return spans;
}

function linksOnLine(line: string, lineNo: number, out: LinkInfo[]): void {
  if (!line.includes('[[')) return;
  const spans = codeSpans(line);
  const re = wikiLinkRegExp();
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) {
    const start = m.index;
    if (spans.some(([a, b]) => start >= a && start < b)) continue;
    const parts = wikiLinkParts(m);
    const rawTarget = m[1];
    const lead = rawTarget.length - rawTarget.trimStart().length;
    const tStart = start + 2 + lead;
    const link: LinkInfo = {
      range: { start: { line: lineNo, character: start }, end: { line: lineNo, character: start + m[0].length } },
      target: parts.target,
      targetRange: { start: { line: lineNo, character: tStart }, end: { line: lineNo, character: tStart + parts.target.length } },
    };
    if (parts.section !== undefined) {
      const rawSection = m[2];
      const sStart = start + 2 + rawTarget.length + 1 + (rawSection.length - rawSection.trimStart().length);
      link.section = parts.section;
      link.sectionRange = { start: { line: lineNo, character: sStart }, end: { line: lineNo, character: sStart + parts.section.length } };
    }
    if (parts.label !== undefined) link.label = parts.label;
    out.push(link);
  }
}

/**
 * A section's hover text is its opening block: the first paragraph or list after the heading (and
 * its `Aliases:` line), ending at the first blank line, fence or heading. Notes put the definition
 * first and the facts a reader must not miss in the same block; details follow a blank line.
 */
function summaryOf(lines: string[], from: number, to: number): { aliases: string[]; summary: string } {
  const aliases: string[] = [];
  const kept: string[] = [];
  let inFence = false;
  let cut = false;
  for (let i = from; i < to; i++) {
    const line = lines[i];
    if (/^\s*(```|~~~)/.test(line)) {
      if (kept.length > 0) break;
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    if (!line.trim()) {
      if (kept.length > 0) break;
      continue;
    }
    const alias = kept.length === 0 ? ALIAS_LINE.exec(line) : null;
    if (alias) {
      aliases.push(...splitAliases(alias[1]));
      continue;
    }
    if (kept.length === SUMMARY_LINES) {
      cut = true;
      break;
    }
    kept.push(line.trimEnd());
  }
  let summary = kept.join('\n');
  if (summary.length > SUMMARY_CHARS) summary = `${summary.slice(0, SUMMARY_CHARS)}…`;
  else if (cut) summary += ' …';
  return { aliases, summary };
}

function fileKey(uri: string): string {
  const base = uri.slice(uri.lastIndexOf('/') + 1).replace(/\.md$/i, '');
  try {
    return conceptKey(decodeURIComponent(base));
  } catch {
    return conceptKey(base);
  }
}

export function parseNote(uri: string, text: string, parser: NotesParser, builtin = false): NoteFile {
  const lines = text.split(/\r\n|\r|\n/);
  const fmAliases = frontMatter(lines);
  const tokens = parser.parseBlocks(lines.join('\n'));
  const headings: HeadingInfo[] = [];
  const fences: FenceInfo[] = [];
  const codeLines = new Set<number>();

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t.map) continue;
    if (t.type === 'heading_open') {
      const inline = tokens[i + 1];
      const name = (inline?.content ?? '').trim();
      const line = t.map[0];
      const lineText = lines[line] ?? '';
      if (!name) continue;
      let col = lineText.indexOf(name);
      if (col < 0) col = 0;
      headings.push({
        name,
        key: conceptKey(name),
        level: Number(t.tag.slice(1)) || 1,
        line,
        nameRange: { start: { line, character: col }, end: { line, character: col + Math.min(name.length, lineText.length - col) } },
        aliases: [],
        aliasKeys: [],
        summary: '',
        endLine: lines.length - 1,
      });
    } else if (t.type === 'fence' || t.type === 'code_block') {
      for (let l = t.map[0]; l < t.map[1]; l++) codeLines.add(l);
      if (t.type === 'fence') {
        const fence: FenceInfo = { line: t.map[0], endLine: t.map[1] - 1, info: t.info.trim(), code: t.content };
        const live = liveBlockInfo(t.info);
        if (live) fence.live = live;
        fences.push(fence);
      }
    }
  }

  for (let h = 0; h < headings.length; h++) {
    const head = headings[h];
    const next = headings[h + 1];
    const bodyEnd = next ? next.line : lines.length;
    for (let k = h + 1; k < headings.length; k++) {
      if (headings[k].level <= head.level) {
        head.endLine = headings[k].line - 1;
        break;
      }
    }
    const { aliases, summary } = summaryOf(lines, head.line + 1, bodyEnd);
    head.aliases = h === 0 ? [...fmAliases, ...aliases] : aliases;
    head.aliasKeys = head.aliases.map(conceptKey);
    head.summary = summary;
  }

  const links: LinkInfo[] = [];
  for (let l = 0; l < lines.length; l++) {
    if (!codeLines.has(l)) linksOnLine(lines[l], l, links);
  }
  return { uri, fileKey: fileKey(uri), builtin, headings, links, fences };
}
