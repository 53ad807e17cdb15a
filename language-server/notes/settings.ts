// Which Markdown files are notes: `isolationSpectrum.notes.include` minus `.exclude`, matched
// against the path relative to its workspace folder.
import { Minimatch } from 'minimatch';

export interface NotesSettings {
  include: string[];
  exclude: string[];
}

export const DEFAULT_NOTES_SETTINGS: NotesSettings = {
  include: ['**/*.md'],
  exclude: ['**/README.md', '**/CHANGELOG.md', '**/LICENSE*', '**/node_modules/**'],
};

const OPTIONS = { dot: false, nocase: true } as const;

// Compiled globs, per settings object: compiling is far dearer than matching.
const compiled = new WeakMap<NotesSettings, { include: Minimatch[]; exclude: Minimatch[] }>();

function matchers(settings: NotesSettings): { include: Minimatch[]; exclude: Minimatch[] } {
  let m = compiled.get(settings);
  if (!m) {
    m = {
      include: settings.include.map((g) => new Minimatch(g, OPTIONS)),
      exclude: settings.exclude.map((g) => new Minimatch(g, OPTIONS)),
    };
    compiled.set(settings, m);
  }
  return m;
}

export function isNotePath(relativePath: string, settings: NotesSettings): boolean {
  const p = relativePath.replace(/\\/g, '/');
  const m = matchers(settings);
  return m.include.some((g) => g.match(p)) && !m.exclude.some((g) => g.match(p));
}

/** Whether a whole directory can be skipped while scanning (it matches an exclude like `**\/node_modules/**`). */
export function isExcludedDir(relativeDir: string, settings: NotesSettings): boolean {
  const p = relativeDir.replace(/\\/g, '/');
  const m = matchers(settings);
  return p.split('/').some((s) => s.startsWith('.')) || m.exclude.some((g) => g.pattern.endsWith('/**') && g.match(`${p}/x`));
}

/** The path of a URI relative to the innermost workspace folder containing it, or its base name. */
export function relativeToFolders(uri: string, folders: string[]): string {
  let best = '';
  for (const f of folders) {
    const base = f.endsWith('/') ? f : `${f}/`;
    if (uri.startsWith(base) && base.length > best.length) best = base;
  }
  const rel = best ? uri.slice(best.length) : uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(rel);
  } catch {
    return rel;
  }
}

export function normalizeSettings(raw: unknown): NotesSettings {
  const r = (raw ?? {}) as Partial<Record<keyof NotesSettings, unknown>>;
  const list = (v: unknown, d: string[]): string[] => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : d);
  return { include: list(r.include, DEFAULT_NOTES_SETTINGS.include), exclude: list(r.exclude, DEFAULT_NOTES_SETTINGS.exclude) };
}
