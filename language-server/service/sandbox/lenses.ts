// Code lenses above each sandbox: Launch, Compare Across Spectrum, and while it runs Inspect and Tear Down.
import type { CodeLens } from 'vscode-languageserver-types';
import { prop } from '../../../engine/spec/tree';
import type { RunningSandboxInfo, SandboxCommandArgs } from '../../protocol';
import type { ConfigDocument } from '../configDocument';

export const COMMANDS = {
  launch: 'isolationSpectrum.launch',
  inspect: 'isolationSpectrum.inspect',
  tearDown: 'isolationSpectrum.tearDown',
  compare: 'isolationSpectrum.compareAcrossSpectrum',
} as const;

export function sandboxLenses(cd: ConfigDocument, running: readonly RunningSandboxInfo[]): CodeLens[] {
  const out: CodeLens[] = [];
  for (const r of cd.roots) {
    const name = prop(r.root, 'name');
    if (!name || name.value.kind !== 'string' || typeof name.value.value !== 'string' || !name.value.value) continue;
    const args: SandboxCommandArgs = { uri: cd.uri, name: name.value.value };
    const line = cd.lines.positionAt(r.root.start).line;
    const range = { start: { line, character: 0 }, end: { line, character: 0 } };
    out.push({ range, command: { title: '$(play) Launch', command: COMMANDS.launch, arguments: [args] } });
    out.push({ range, command: { title: 'Compare Across Spectrum', command: COMMANDS.compare, arguments: [args] } });
    if (running.some((s) => s.name === args.name && (s.specUri === undefined || s.specUri === cd.uri))) {
      out.push({ range, command: { title: 'Inspect', command: COMMANDS.inspect, arguments: [args] } });
      out.push({ range, command: { title: 'Tear Down', command: COMMANDS.tearDown, arguments: [args] } });
    }
  }
  return out;
}
