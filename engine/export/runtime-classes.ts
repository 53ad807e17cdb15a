// Which Kubernetes RuntimeClass runs each isolation level, and the RuntimeClass objects a cluster
// admin installs once. Names are configurable because clusters name their handlers differently
// (Kata's installer registers `kata-fc`, `kata-qemu`, `kata-clh`...; GKE Sandbox calls gVisor `gvisor`).
import type { Isolation } from '../spec/types';

/** RuntimeClass name per level; `undefined` means the cluster's default runtime (runc). */
export type RuntimeClassNames = Partial<Record<Isolation, string>>;

export const DEFAULT_RUNTIME_CLASSES: Readonly<RuntimeClassNames> = {
  gvisor: 'gvisor',
  microvm: 'kata-fc',
  vm: 'kata-qemu',
};

/** The containerd handler each default name is configured under (containerd's `runtimes.<handler>`). */
const DEFAULT_HANDLERS: Record<string, string> = { gvisor: 'runsc', 'kata-fc': 'kata-fc', 'kata-qemu': 'kata-qemu' };

/** Node label the RuntimeClass schedules onto: a placeholder the admin replaces or applies to nodes. */
export const NODE_LABEL_PREFIX = 'isolation-spectrum.dev/runtime-';

export function runtimeClassFor(level: Isolation, names: RuntimeClassNames = DEFAULT_RUNTIME_CLASSES): string | undefined {
  if (level === 'container' || level === 'isolate') return names[level];
  return names[level] ?? DEFAULT_RUNTIME_CLASSES[level];
}

/** The level a RuntimeClass name stands for (no name: container), or undefined when unknown. */
export function levelForRuntimeClass(name: string | undefined, names: RuntimeClassNames = DEFAULT_RUNTIME_CLASSES): Isolation | undefined {
  const levels: Isolation[] = ['container', 'gvisor', 'microvm', 'vm'];
  return levels.find((l) => runtimeClassFor(l, names) === name);
}

/** One RuntimeClass object (node.k8s.io/v1) for a name, with a nodeSelector placeholder. */
export function runtimeClassObject(name: string): Record<string, unknown> {
  return {
    apiVersion: 'node.k8s.io/v1',
    kind: 'RuntimeClass',
    metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'isolation-spectrum' } },
    handler: DEFAULT_HANDLERS[name] ?? name,
    // Pods of this class land only on nodes whose containerd has the handler: label those nodes.
    scheduling: { nodeSelector: { [`${NODE_LABEL_PREFIX}${name}`]: 'true' } },
  };
}
