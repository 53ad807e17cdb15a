// Which levels one workload can run at, and its spec moved to each: a JS worker runs only as an
// isolate; an image and command run at every other level. Pure: unit-tested.
import type { Isolation, SandboxSpec } from '../spec/types';
import { ISOLATION_LEVELS } from '../spec/types';
import { MIN_GUEST_MEMORY } from '../spec/levels';

/** Why the workload cannot run at `level`, or undefined when it can. */
export function incompatibility(spec: SandboxSpec, level: Isolation): string | undefined {
  if (level === 'isolate') return spec.worker ? undefined : 'the workload is not a JS/Wasm worker (isolates run no binaries)';
  if (!spec.image) return 'the workload is a JS worker without an image (only isolates run it)';
  if (spec.firecrackerConfig && level !== 'microvm') return 'a Firecracker config runs only as a microvm';
  return undefined;
}

/** The same workload at `level`, under its own name so runs never collide. */
export function specAt(spec: SandboxSpec, level: Isolation): SandboxSpec {
  const min = MIN_GUEST_MEMORY[level];
  const memoryBytes = spec.resources.memoryBytes;
  // A guest kernel needs room of its own: below the floor it would not boot at all.
  const resources = min && (memoryBytes === undefined || memoryBytes < min) ? { ...spec.resources, memoryBytes: Math.max(min, 256 * 1024 * 1024) } : spec.resources;
  return { ...spec, name: `${spec.name}-${level}`.slice(0, 50), isolation: level, resources, ports: undefined, devices: level === 'vm' ? spec.devices : [] };
}

export function levelsInOrder(wanted?: Isolation[]): Isolation[] {
  return ISOLATION_LEVELS.filter((l) => !wanted || wanted.includes(l));
}
