// A host snapshot: raw facts a collector gathered (Node collector, or the shell-only collector
// for machines without Node). Doctor checks are pure functions over it, so they are unit-tested
// on recorded snapshots. Every fact beyond the basics is optional: a collector that could not
// look leaves it out, and the checks say "unknown" rather than guess.
export interface BinaryFact {
  path: string;
  version?: string;
}

export interface KvmFact {
  /** /dev/kvm exists. */
  device: boolean;
  /** /dev/kvm can be opened read-write by this user. */
  accessible?: boolean;
  /** CPU flags vmx or svm are present (hardware virtualisation). */
  cpuFlags?: boolean;
  /** Loaded KVM modules (kvm_intel, kvm_amd, kvm_pvm...). */
  modules?: string[];
  /** KVM_GET_API_VERSION answered (shell collector's python probe), when tried. */
  apiVersion?: number;
}

export interface GpuFact {
  /** /dev/nvidia* device nodes. */
  nvidiaDevices: string[];
  /** `nvidia-smi -L` lines, when nvidia-smi ran. */
  nvidiaSmi?: string[];
  /** PCI display/3D controllers: "0000:01:00.0 10de:2335" (vendor:device). */
  pci?: string[];
  driverVersion?: string;
}

export interface HostSnapshot {
  collectedAt: string;
  collector: 'node' | 'shell';
  arch: string;
  kernelRelease: string;
  isRoot: boolean;
  uid: number;
  /** Absolute paths of runtimes found (PATH lookup or configured paths), by name. */
  binaries: Record<string, BinaryFact | undefined>;
  /** `v1`, `v2` or `hybrid` (v1 controllers plus cgroup2 at /sys/fs/cgroup/unified). */
  cgroup?: { layout: 'v1' | 'v2' | 'hybrid' | 'none'; unifiedPath?: string };
  kvm?: KvmFact;
  gpus?: GpuFact;
  /** Number of /sys/kernel/iommu_groups entries (0: no PCI passthrough). */
  iommuGroups?: number;
  /** What this runsc offers, from its own flag help. */
  runsc?: { platforms: string[]; nvproxy: boolean; ociSeccomp: boolean };
  /** Unprivileged user namespaces allowed (rootless runc/runsc). */
  userns?: boolean;
  /** Free-form extra facts collectors add. */
  [fact: string]: unknown;
}
