// OCI runtime bundle `config.json`: recognised by name plus an `ociVersion` key.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import ociSchema from '../../../schemas/oci-config.schema.json';
import type { JsonSchema } from '../../../engine/spec/schema';
import type { FileSystem } from '../fs';
import { createJsonConfigService, type JsonConfigKind } from '../json/jsonConfigService';
import type { DocumentService } from '../types';
import { baseName } from '../uri';
import { ociRules } from './ociRules';
import { ociValidator } from './ociValidator';

export function isOciDocument(doc: TextDocument): boolean {
  if (doc.languageId === 'oci-config') return true;
  const name = baseName(doc.uri);
  return (name === 'config.json' || /\.oci\.json$/i.test(name)) && /"ociVersion"\s*:/.test(doc.getText());
}

export const OCI: JsonConfigKind = { kind: 'oci', schema: ociSchema as JsonSchema, validator: ociValidator, accepts: isOciDocument, rules: ociRules };

export function createOciService(fs: FileSystem): DocumentService {
  return createJsonConfigService(OCI, fs);
}
