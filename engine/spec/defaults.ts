// DESIGN.md's defaults for a spec built in code rather than read from a file (an OCI bundle
// used as is, a live note block, tests): no network, read-only root, no devices, no GPU.
import type { Isolation, SandboxSpec } from './types';

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
