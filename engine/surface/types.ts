// The attack surface of one running sandbox, measured from its processes, runtime and VMM: what
// host code its workload can reach. `spectrum inspect ID --surface --json` prints this shape.
import type { Isolation } from '../spec/types';

export type KernelKind = 'host' | 'sentry' | 'guest';

export interface SurfaceKernel {
  /** host: the workload's syscalls run in the host kernel; sentry: gVisor's; guest: its own VM kernel. */
  kind: KernelKind;
  release: string;
  /** gVisor: the Sentry's platform (ptrace, systrap, kvm). */
  platform?: string;
  /** Where the release was read (uname of this host, `runsc --version`, the guest's memory). */
  source: string;
}

export interface SurfaceSyscalls {
  /** Host syscalls the workload's own code can make directly (VM: none; see `host`). */
  reachable: number;
  /** Size of the host's syscall table (the x86-64 ABI). */
  of: number;
  source: string;
  /** Allowed only for some argument values (e.g. clone without namespace flags). */
  conditional?: string[];
  /** gVisor: syscalls the Sentry implements for the workload. */
  implemented?: { full: number; partial: number; of: number; source: string };
  /**
   * The host syscalls the layer below the workload may make (the Sentry's or the VMM's own
   * seccomp filter): what a bug in that layer can reach.
   */
  host?: { reachable: number; of: number; source: string };
  /** VMs: how the guest leaves to the host (KVM exits or TCG, QEMU's emulator in user space). */
  interface?: 'kvm' | 'tcg';
}

export interface AttackSurface {
  id: string;
  isolation: Isolation;
  runtime: string;
  kernel: SurfaceKernel;
  syscalls: SurfaceSyscalls;
  /** Containers and gVisor: /dev nodes inside; VMs: the device model from QMP. */
  devices: string[];
  /** Effective capabilities of the measured process (cap_* names). */
  capabilities: string[];
  /** Namespaces the measured process does not share with the engine (ns names). */
  namespaces: string[];
  writableMounts: string[];
  verdict: string;
  /** The host process these figures are read from (container init, Sentry, VMM, workerd). */
  measured?: { pid: number; what: string };
  /** What could not be measured, and why. */
  notes?: string[];
}
