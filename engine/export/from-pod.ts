// Reads an exported Pod (or Job) back into the spec model's terms: the round trip that shows
// the export keeps what the workload is (image, command, env, resources, level).
import type { Isolation, ResourceSpec } from '../spec/types';
import { parseCpuQuantity, parseMemoryQuantity } from './quantities';
import { LEVEL_LABEL, type Manifest } from './kubernetes';
import { DEFAULT_RUNTIME_CLASSES, levelForRuntimeClass, type RuntimeClassNames } from './runtime-classes';

export interface SpecFromPod {
  name: string;
  isolation: Isolation;
  image: string;
  command?: string[];
  entrypoint?: string[];
  env: Record<string, string>;
  resources: ResourceSpec;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

export function specFromPod(m: Manifest, names: RuntimeClassNames = DEFAULT_RUNTIME_CLASSES): SpecFromPod {
  if (m.kind !== 'Pod' && m.kind !== 'Job') throw new Error(`expected a Pod or a Job, got ${String(m.kind)}`);
  const pod = m.kind === 'Job' ? obj(obj(m.spec).template) : m;
  const spec = obj(pod.spec);
  const c = obj((spec.containers as unknown[] | undefined)?.[0]);
  const rc = typeof spec.runtimeClassName === 'string' ? spec.runtimeClassName : undefined;
  // The RuntimeClass is what the cluster enforces; the label only names it for people.
  const isolation = levelForRuntimeClass(rc, { ...DEFAULT_RUNTIME_CLASSES, ...names });
  if (!isolation) throw new Error(`runtimeClassName ${rc} maps to no isolation level (label says ${String(obj(obj(m.metadata).labels)[LEVEL_LABEL])})`);
  const env: Record<string, string> = {};
  for (const e of (c.env as unknown[] | undefined) ?? []) env[String(obj(e).name)] = String(obj(e).value ?? '');
  const limits = obj(obj(c.resources).limits);
  const resources: ResourceSpec = {};
  if (typeof limits.cpu === 'string') resources.cpus = parseCpuQuantity(limits.cpu);
  if (typeof limits.memory === 'string') resources.memoryBytes = parseMemoryQuantity(limits.memory);
  const out: SpecFromPod = { name: String(obj(m.metadata).name), isolation, image: String(c.image), env, resources };
  const args = strings(c.args);
  const command = strings(c.command);
  if (args) out.command = args;
  if (command) out.entrypoint = command;
  return out;
}
