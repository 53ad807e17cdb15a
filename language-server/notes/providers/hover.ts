// Concept hovers: the concept's opening lines and where it is defined. Used in notes and, through
// the concept source, after the schema text of every config hover.
import type { Hover } from 'vscode-languageserver-types';
import type { ConceptDef } from '../notesIndex';
import type { HeadingInfo } from '../parseNote';
import { type ConceptAt, baseName } from './locate';

function plainLinks(markdown: string): string {
  return markdown.replace(/\[\[([^\]|#]*)(?:#([^\]|]*))?(?:\|([^\]]*))?\]\]/g, (_m, t: string, s?: string, l?: string) =>
    l ? l : s ? (t ? `${t} › ${s}` : s) : t,
  );
}

function where(def: ConceptDef, heading: HeadingInfo): string {
  const name = baseName(def.file.uri);
  const link = `[${name}](${def.file.uri}#L${heading.line + 1})`;
  return def.file.builtin ? `Built-in note ${link}` : `Defined in ${link}`;
}

export function conceptHover(at: ConceptAt): Hover {
  const heading = at.section ?? at.def.heading;
  // A user's heading with no body yet extends the built-in concept: fall back to its lines.
  const summary = heading.summary || at.all.find((d) => d.heading.summary)?.heading.summary || '';
  const aliases = at.all.flatMap((d) => d.heading.aliases);
  const title = at.section ? `${at.def.heading.name} › ${heading.name}` : heading.name;
  const parts = [`**${title}**${aliases.length ? ` · _also: ${[...new Set(aliases)].slice(0, 5).join(', ')}_` : ''}`];
  if (summary) parts.push(plainLinks(summary));
  const sources = [where(at.def, heading)];
  for (const other of at.all) {
    if (other !== at.def && other.file.builtin !== at.def.file.builtin && !at.section) sources.push(where(other, other.heading));
  }
  parts.push(`_${[...new Set(sources)].join(' · ')}_`);
  return { contents: { kind: 'markdown', value: parts.join('\n\n') }, range: at.range };
}
