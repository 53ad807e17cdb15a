// Firecracker `--config-file` JSON: recognised by name or by its top-level keys.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import firecrackerSchema from '../../../schemas/firecracker.schema.json';
import type { JsonSchema } from '../../../engine/spec/schema';
import type { FileSystem } from '../fs';
import { createJsonConfigService, type JsonConfigKind } from '../json/jsonConfigService';
import type { DocumentService } from '../types';
import { baseName } from '../uri';
import { firecrackerRules } from './firecrackerRules';
import { firecrackerValidator } from './firecrackerValidator';

const JSON_LANGUAGES = new Set(['json', 'jsonc', 'firecracker']);

export function isFirecrackerDocument(doc: TextDocument): boolean {
  if (doc.languageId === 'firecracker') return true;
  const name = baseName(doc.uri);
  if (/\.firecracker\.json$/i.test(name) || name === 'vm_config.json') return true;
  if (!JSON_LANGUAGES.has(doc.languageId) && !name.endsWith('.json')) return false;
  const text = doc.getText();
  return /"boot-source"\s*:/.test(text) && /"(machine-config|drives)"\s*:/.test(text);
}

export const FIRECRACKER: JsonConfigKind = {
  kind: 'firecracker',
  schema: firecrackerSchema as JsonSchema,
  validator: firecrackerValidator,
  accepts: isFirecrackerDocument,
  rules: firecrackerRules,
};

export function createFirecrackerService(fs: FileSystem): DocumentService {
  return createJsonConfigService(FIRECRACKER, fs);
}
