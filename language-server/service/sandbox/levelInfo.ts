// Spec-specific touches on the generic providers: which levels use a field (hover) and fields
// the current level ignores sorted last (completion).
import type { CompletionItem } from 'vscode-languageserver-types';
import { isIsolation, LEVEL_FIELDS } from '../../../engine/spec/levels';
import { prop, type PathSegment } from '../../../engine/spec/tree';
import { ISOLATION_LEVELS } from '../../../engine/spec/types';
import { rootAt, type ConfigDocument } from '../configDocument';

export function levelHover(path: PathSegment[]): string | undefined {
  if (path.length !== 1 || typeof path[0] !== 'string') return undefined;
  const row = LEVEL_FIELDS[path[0]];
  if (!row) return undefined;
  const by = (role: string) => ISOLATION_LEVELS.filter((l) => row[l] === role);
  const parts: string[] = [];
  if (by('needs').length && by('needs').length < ISOLATION_LEVELS.length) parts.push(`needed by ${by('needs').join(', ')}`);
  if (by('drops').length) parts.push(`no effect at ${by('drops').join(', ')}`);
  return parts.length ? `Levels: ${parts.join('; ')}.` : undefined;
}

export function levelDecorator(objectPath: PathSegment[], key: string, item: CompletionItem, cd: ConfigDocument, offset: number): void {
  if (objectPath.length !== 0) return;
  const level = prop(rootAt(cd, offset)?.root, 'isolation')?.value.value;
  if (!isIsolation(level)) return;
  const role = LEVEL_FIELDS[key]?.[level];
  if (role === 'drops') {
    item.sortText = '9' + key;
    item.detail = `${item.detail ?? ''} (no effect at ${level})`;
  } else if (role === 'needs') item.sortText = '0' + key;
}
