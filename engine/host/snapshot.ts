// A host snapshot: raw facts a collector gathered (Node collector, or the shell-only collector
// for machines without Node). Doctor checks are pure functions over it, so they are unit-tested
// on recorded snapshots.
export interface HostSnapshot {
  collectedAt: string;
  collector: 'node' | 'shell';
  arch: string;
  kernelRelease: string;
  isRoot: boolean;
  uid: number;
  /** Absolute paths of runtimes found (PATH lookup or configured paths), by name. */
  binaries: Record<string, { path: string; version?: string } | undefined>;
  /** Free-form extra facts collectors add (cgroup layout, kvm probe, gpus, iommu...). */
  [fact: string]: unknown;
}
