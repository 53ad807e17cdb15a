// The agent policy (`.spectrum/agent-policy.yaml`): diagnostics from the same parser the MCP
// server refuses on (engine/mcp/policy.ts), so what the editor underlines is exactly what makes
// `spectrum mcp` refuse every create; and a hover per setting saying what it bounds.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Hover, Position } from 'vscode-languageserver-types';
import { parsePolicy } from '../../../engine/mcp/policy';
import { SOURCE } from '../convert';
import type { DocumentService } from '../types';

export function isPolicyDocument(doc: TextDocument): boolean {
  return /(^|\/)\.spectrum\/agent-policy\.ya?ml$/.test(doc.uri);
}

const HOVERS: Record<string, string> = {
  minLevel: 'The weakest isolation level an agent may create: container < gvisor < microvm < vm. Default gvisor.',
  images: 'Image patterns an agent may use (`*` within a segment, `**` across). Host paths (`/dir`, `oci-layout:`, `docker-archive:`) need a pattern of the same form. Default `["**"]`: any registry image and busybox.',
  network: 'Network modes an agent may ask for besides `none`: `outbound`, `host` (no isolation). Default `[none]`.',
  ports: 'Whether an agent may publish ports (on 127.0.0.1 only). Default false.',
  maxSandboxes: 'How many sandboxes one agent session may have at once. Default 3.',
  maxLifetime: 'How long a sandbox an agent created lives before it is torn down (e.g. 30m). Default 30m.',
  maxMemory: 'The most memory an agent may give a sandbox; also its default. Default 512Mi.',
  maxCpus: 'The most CPUs an agent may give a sandbox. Default 1.',
};

export function createPolicyService(): DocumentService {
  return {
    accepts: isPolicyDocument,
    diagnostics(doc): Diagnostic[] {
      return parsePolicy(doc.getText()).problems.map((p) => ({
        range: { start: doc.positionAt(p.start), end: doc.positionAt(p.end) },
        severity: p.severity === 'error' ? 1 : 2,
        source: SOURCE,
        code: 'agent-policy',
        message: p.message,
      }));
    },
    hover(doc, pos: Position): Hover | null {
      const line = doc.getText({ start: { line: pos.line, character: 0 }, end: { line: pos.line + 1, character: 0 } });
      const m = /^(\w+)\s*:/.exec(line);
      if (!m || !HOVERS[m[1]] || pos.character > m[1].length) return null;
      return { contents: { kind: 'markdown', value: `**${m[1]}** (agent policy)\n\n${HOVERS[m[1]]}` }, range: { start: { line: pos.line, character: 0 }, end: { line: pos.line, character: m[1].length } } };
    },
  };
}
