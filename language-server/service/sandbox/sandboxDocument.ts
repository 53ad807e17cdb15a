// A `*.sandbox.yaml` text as the providers see it: the engine's own check (the very diagnostics
// `spectrum up` refuses on) plus the YAML documents for formatting.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Document } from 'yaml';
import { checkSpecText, SANDBOX_SCHEMA, type CheckedSpec } from '../../../engine/spec/check';
import { YamlEditor } from '../../../engine/spec/yamlEdit';
import type { ConfigDocument } from '../configDocument';

export interface SandboxDocument extends ConfigDocument {
  yamlDocs: Document[];
  spec: CheckedSpec;
}

export function buildSandboxDocument(doc: TextDocument, text: string): SandboxDocument {
  const spec = checkSpecText(text);
  return {
    kind: 'sandbox',
    format: 'yaml',
    uri: doc.uri,
    text,
    lines: spec.lines,
    roots: spec.checked.map((c) => ({ index: c.doc.index, start: c.doc.start, end: c.doc.end, root: c.doc.root })),
    schema: SANDBOX_SCHEMA,
    editor: new YamlEditor(spec.lines),
    diagnostics: spec.diagnostics,
    yamlDocs: spec.documents.map((d) => d.yaml),
    spec,
  };
}
