// Manifests as a multi-document YAML stream, the form `kubectl apply -f` reads.
import { stringify } from 'yaml';
import type { Manifest } from './kubernetes';

export function manifestsToYaml(docs: Manifest[], header?: string): string {
  const body = docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
  return header ? `${header.split('\n').map((l) => `# ${l}`).join('\n')}\n${body}` : body;
}
