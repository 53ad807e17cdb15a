// Built-in templates, one per level: Launch Sandbox... offers them next to the workspace's specs.
// Each becomes a real spec file in the extension's storage, launched like any other.
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Isolation } from '../engine/spec/types';

const WORKER = `export default {
  async fetch(request) {
    return new Response('hello from a V8 isolate: ' + new URL(request.url).pathname + '\\n');
  },
};
`;

export const TEMPLATES: Record<Isolation, string> = {
  isolate: `name: template-isolate\nisolation: isolate\nworker: ./template.worker.js\ncompatibilityDate: 2025-01-01\n`,
  container: `name: template-container\nisolation: container\nimage: busybox\ncommand: [/bin/sh, -c, "echo hello from a container; sleep 3600"]\nresources: { memory: 128Mi, pids: 64 }\n`,
  gvisor: `name: template-gvisor\nisolation: gvisor\nimage: busybox\ncommand: [/bin/sh, -c, "dmesg | head -n 3; sleep 3600"]\nresources: { memory: 128Mi }\n`,
  microvm: `name: template-microvm\nisolation: microvm\nimage: busybox\ncommand: [/bin/sh, -c, "uname -a; sleep 3600"]\nresources: { cpus: 1, memory: 256Mi }\nkernel: auto\n`,
  vm: `name: template-vm\nisolation: vm\nimage: busybox\ncommand: [/bin/sh, -c, "uname -a; sleep 3600"]\nresources: { cpus: 1, memory: 512Mi }\nkernel: auto\n`,
};

/** Writes the level's template (and the isolate's worker) under `dir`; returns the spec path. */
export async function writeTemplate(dir: string, level: Isolation): Promise<string> {
  await mkdir(dir, { recursive: true });
  if (level === 'isolate') await writeFile(path.join(dir, 'template.worker.js'), WORKER);
  const file = path.join(dir, `${level}.sandbox.yaml`);
  await writeFile(file, TEMPLATES[level]);
  return file;
}
