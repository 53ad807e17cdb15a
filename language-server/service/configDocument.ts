// A parsed config document of any kind (sandbox spec, Firecracker, OCI): its trees, schema,
// editor and diagnostics. Providers work on this shape and never on a format directly.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LineIndex } from '../../engine/spec/lines';
import type { JsonSchema, TreeEditor } from '../../engine/spec/schema';
import type { TreeNode } from '../../engine/spec/tree';
import type { SpecDiagnostic } from '../../engine/spec/types';

export interface ConfigRoot {
  index: number;
  start: number;
  end: number;
  root: TreeNode;
}

export interface ConfigDocument {
  kind: 'sandbox' | 'firecracker' | 'oci';
  format: 'yaml' | 'json';
  uri: string;
  text: string;
  lines: LineIndex;
  roots: ConfigRoot[];
  schema: JsonSchema;
  editor: TreeEditor;
  diagnostics: SpecDiagnostic[];
}

export function rootAt(cd: ConfigDocument, offset: number): ConfigRoot | undefined {
  let found: ConfigRoot | undefined;
  for (const r of cd.roots) if (r.start <= offset) found = r;
  return found ?? cd.roots[0];
}

/** Keeps the last few parsed documents so every feature of one edit shares one parse. */
export class DocumentCache {
  private readonly entries = new Map<string, { version: number; text: string; value: ConfigDocument }>();

  constructor(private readonly build: (doc: TextDocument, text: string) => ConfigDocument, private readonly size = 16) {}

  get(doc: TextDocument): ConfigDocument {
    const text = doc.getText();
    const hit = this.entries.get(doc.uri);
    if (hit && hit.version === doc.version && hit.text === text) return hit.value;
    const value = this.build(doc, text);
    this.entries.delete(doc.uri);
    this.entries.set(doc.uri, { version: doc.version, text, value });
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
