// The export tests' inputs: one golden spec per level, the repository's examples, and a spec
// with every feature the export maps, each loaded through the engine's own spec loader.
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadSpecFile, loadSpecText } from '../../../engine/spec/load';
import type { SandboxSpec } from '../../../engine/spec/types';

export const GOLDEN_DIR = path.join(__dirname, 'golden');
export const LEVELS = ['container', 'gvisor', 'microvm', 'vm'] as const;
const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples');

export async function loadClean(file: string): Promise<SandboxSpec[]> {
  const { sandboxes, diagnostics } = await loadSpecFile(file);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), [], `${file} loads without errors`);
  return sandboxes;
}

export const goldenSpec = (level: string): string => path.join(GOLDEN_DIR, `${level}.sandbox.yaml`);
export const exampleSpecs = ['hello.sandbox.yaml', 'full-vm.sandbox.yaml'].map((f) => path.join(EXAMPLES, f));

/** Ports on two protocols, a wildcard address, outbound with hostLoopback, a digit-first name. */
export function featureSpecs(): SandboxSpec[] {
  const text = [
    'name: 9lives_api',
    'isolation: gvisor',
    'image: ghcr.io/example/api@sha256:' + 'a'.repeat(64),
    'entrypoint: [/app/api]',
    'command: [--listen, ":8080"]',
    'env: { LOG: debug }',
    'resources: { memory: 1536Mi }',
    'network: { mode: outbound, hostLoopback: true }',
    'ports: ["0.0.0.0:8443:8080", "127.0.0.1:5353:53/udp"]',
    'gvisor: { platform: systrap }',
  ].join('\n');
  const { sandboxes, diagnostics } = loadSpecText(text, '/specs/features.sandbox.yaml');
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  return sandboxes;
}
