// The typed per-resource settings with explicit defaults, from what the client's
// workspace/configuration answers for section `isolationSpectrum`.
import type { ResourceSettings } from './types';

export const SETTINGS_SECTION = 'isolationSpectrum';

export const DEFAULT_SETTINGS: ResourceSettings = {
  notes: { include: ['**/*.md'], exclude: ['**/README.md', '**/CHANGELOG.md', '**/LICENSE*', '**/node_modules/**'] },
};

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

export function toResourceSettings(raw: unknown): ResourceSettings {
  const notes = raw && typeof raw === 'object' ? (raw as { notes?: { include?: unknown; exclude?: unknown } }).notes : undefined;
  return {
    notes: {
      include: strings(notes?.include) ?? DEFAULT_SETTINGS.notes.include,
      exclude: strings(notes?.exclude) ?? DEFAULT_SETTINGS.notes.exclude,
    },
  };
}
