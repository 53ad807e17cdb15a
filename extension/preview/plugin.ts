// markdown-it plugin for VS Code's Markdown preview (`markdown.markdownItPlugins`): wiki links
// become working links, concept terms get their definition as a tooltip, and ```spectrum blocks
// render the isolation ladder. Reads only the local ConceptIndex, since rendering is synchronous.
import type MarkdownIt from 'markdown-it';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import { WIKI_LINK_SOURCE } from '../../language-server/notes/markdown';
import type { ConceptIndex } from './conceptIndex';
import { renderSpectrumSvg } from './spectrumSvg';

const WIKI_AT = new RegExp(WIKI_LINK_SOURCE, 'y');
const TOOLTIP_CHARS = 300;

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Tooltip text: the summary without Markdown decoration. */
function tooltip(summary: string): string {
  const plain = summary
    .replace(/\[\[([^\]|#]*)(?:#([^\]|]*))?(?:\|([^\]]*))?\]\]/g, (_m, t: string, s?: string, l?: string) => l || s || t)
    .replace(/[*_`]/g, '')
    .replace(/^\s*[-*+]\s+/gm, '• ');
  return plain.length > TOOLTIP_CHARS ? `${plain.slice(0, TOOLTIP_CHARS)}…` : plain;
}

function wikiLinkRule(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x5b || state.src.charCodeAt(state.pos + 1) !== 0x5b) return false;
  WIKI_AT.lastIndex = state.pos;
  const m = WIKI_AT.exec(state.src);
  if (!m) return false;
  if (!silent) {
    const token = state.push('wikilink', '', 0);
    token.meta = { target: m[1].trim(), section: m[2]?.trim(), label: m[3]?.trim() };
    token.content = m[0];
  }
  state.pos += m[0].length;
  return true;
}

/** Wraps the first mention of each concept in a document with a tooltip. */
function conceptTermsRule(index: ConceptIndex) {
  return (state: StateCore): void => {
    const re = index.termPattern();
    if (!re) return;
    const seen = new Set<string>();
    let inHeading = false;
    for (const block of state.tokens) {
      if (block.type === 'heading_open') inHeading = true;
      if (block.type === 'heading_close') inHeading = false;
      if (block.type !== 'inline' || inHeading || !block.children) continue;
      const out: Token[] = [];
      let linkDepth = 0;
      for (const t of block.children) {
        if (t.type === 'link_open') linkDepth++;
        if (t.type === 'link_close') linkDepth--;
        if (t.type !== 'text' || linkDepth > 0) {
          out.push(t);
          continue;
        }
        let last = 0;
        re.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = re.exec(t.content))) {
          const concept = index.resolve(m[0]);
          if (!concept || seen.has(concept.uri + concept.line)) continue;
          seen.add(concept.uri + concept.line);
          if (m.index > last) out.push(Object.assign(new state.Token('text', '', 0), { content: t.content.slice(last, m.index) }));
          const open = new state.Token('concept_term', '', 0);
          open.content = m[0];
          open.meta = { title: `${concept.name}: ${tooltip(concept.summary)}` };
          out.push(open);
          last = m.index + m[0].length;
        }
        if (last === 0) out.push(t);
        else if (last < t.content.length) out.push(Object.assign(new state.Token('text', '', 0), { content: t.content.slice(last) }));
      }
      block.children = out;
    }
  };
}

/** Installs the plugin on VS Code's markdown-it instance; returns it, as VS Code expects. */
export function extendMarkdownIt(md: MarkdownIt, index: ConceptIndex): MarkdownIt {
  md.inline.ruler.before('link', 'wikilink', wikiLinkRule);
  md.core.ruler.push('concept_terms', conceptTermsRule(index));

  md.renderer.rules.wikilink = (tokens, idx) => {
    const { target, section, label } = tokens[idx].meta as { target: string; section?: string; label?: string };
    const text = escapeHtml(label || (section ? (target ? `${target} › ${section}` : section) : target));
    const concept = target ? index.resolve(target) : undefined;
    const sectionConcept = section ? index.resolve(section) : undefined;
    const dest = sectionConcept && (!concept || sectionConcept.uri === concept.uri) ? sectionConcept : concept;
    if (!dest) {
      const why = target ? `No note defines "${target}"` : 'Section link';
      return `<span class="spectrum-wikilink broken" title="${escapeHtml(why)}" style="text-decoration: underline wavy">${text}</span>`;
    }
    const href = `${dest.uri}#L${dest.line + 1}`;
    return `<a class="spectrum-wikilink" href="${escapeHtml(href)}" title="${escapeHtml(`${dest.name}: ${tooltip(dest.summary)}`)}">${text}</a>`;
  };

  md.renderer.rules.concept_term = (tokens, idx) => {
    const t = tokens[idx];
    const title = (t.meta as { title: string }).title;
    return `<span class="spectrum-concept" title="${escapeHtml(title)}" style="border-bottom: 1px dotted">${escapeHtml(t.content)}</span>`;
  };

  const fence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const info = tokens[idx].info.trim().split(/\s+/)[0];
    if (info === 'spectrum') return renderSpectrumSvg(tokens[idx].content);
    return fence ? fence(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  };
  return md;
}
