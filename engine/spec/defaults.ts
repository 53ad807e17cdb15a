// DESIGN.md's defaults for a spec built in code rather than read from a file (an OCI bundle
// used as is, a live note block, tests): no network, read-only root, no devices, no GPU.
import type { Isolation, ResourceSpec, SandboxSpec } from './types';

export function defaultSpec(name: string, isolation: Isolation, file: string, over: Partial<SandboxSpec> = {}): SandboxSpec {
  return {
    name,
    isolation,
    env: {},
    mounts: [],
    resources: {},
    network: 'none',
    readonly: true,
    container: { runtime: 'runc' },
    gvisor: { platform: 'auto' },
    kernel: 'auto',
    microvm: { vmm: 'auto' },
    devices: [],
    gpu: 'none',
    source: { file, document: 0 },
    ...over,
  };
}

/**
 * Limits every container and gVisor sandbox gets unless its spec sets its own (`resources:`):
 * enough for ordinary programs, too little for a fork bomb or a runaway allocation to take the
 * host down. VMs are bounded by their guest's size (1 vCPU, 256 MiB by default) and isolates by
 * workerd, so they get none here.
 */
export const DEFAULT_LIMITS: Partial<Record<Isolation, Required<ResourceSpec>>> = {
  container: { pids: 512, memoryBytes: 512 * 1024 * 1024, cpus: 1 },
  gvisor: { pids: 512, memoryBytes: 1024 * 1024 * 1024, cpus: 1 },
};

export interface LimitedSpec {
  spec: SandboxSpec;
  /** The limits the sandbox runs under (its own, then the defaults), where a level has any. */
  limits?: ResourceSpec;
  /** Said at launch and in inspect when the limits can't be enforced here. */
  warning?: string;
}

/**
 * The spec with the default limits filled in. Without root, cgroups are out of reach on most
 * hosts (rootless runc fails a launch that asks for them): the defaults are left out and the
 * launch says so; limits the spec sets itself stay, as asked.
 */
export function withDefaultLimits(spec: SandboxSpec, isRoot: boolean): LimitedSpec {
  const defaults = DEFAULT_LIMITS[spec.isolation];
  if (!defaults) return { spec };
  if (!isRoot) {
    const missing = (Object.keys(defaults) as (keyof ResourceSpec)[]).filter((k) => spec.resources[k] === undefined);
    const warning = missing.length
      ? `not root: rootless cgroups can't apply the default ${missing.map((k) => (k === 'memoryBytes' ? 'memory' : k)).join(', ')} limits, so ${spec.name} runs without them`
      : undefined;
    return { spec, limits: spec.resources, warning };
  }
  const resources = { ...defaults, ...stripUndefined(spec.resources) };
  return { spec: { ...spec, resources }, limits: resources };
}

function stripUndefined(r: ResourceSpec): ResourceSpec {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as ResourceSpec;
}
