// The sandbox spec model: what one YAML document of a `*.sandbox.yaml` file describes.
// Parsing (with source ranges), the JSON Schema and the semantic rules live beside this file;
// the engine launches only specs that produced no error diagnostic.

export const ISOLATION_LEVELS = ['isolate', 'container', 'gvisor', 'microvm', 'vm'] as const;
export type Isolation = (typeof ISOLATION_LEVELS)[number];

export type NetworkMode = 'none' | 'outbound' | 'host';

export type StartMode = 'cold' | 'warm' | 'auto';

/** One `ports:` entry: a host address and port published to a port inside the sandbox. */
export interface PortSpec {
  /** 127.0.0.1 unless the entry names an address. */
  hostAddress: string;
  hostPort: number;
  sandboxPort: number;
  protocol: 'tcp' | 'udp';
}

export interface MountSpec {
  source: string; // resolved to an absolute path by the loader
  target: string;
  writable: boolean;
}

export interface ResourceSpec {
  cpus?: number;
  memoryBytes?: number;
  pids?: number;
}

export interface SandboxSpec {
  name: string;
  isolation: Isolation;
  /**
   * `busybox`, an absolute directory/bundle/disk-image path, an image reference (`alpine:3.20`),
   * `oci-layout:ABS[:TAG]`, `docker-archive:ABS.tar`, or undefined (isolate).
   */
  image?: string;
  /** Replaces the image's Cmd. */
  command?: string[];
  /** Replaces the image's Entrypoint (and, as in Docker, drops its Cmd unless `command` is set). */
  entrypoint?: string[];
  env: Record<string, string>;
  mounts: MountSpec[];
  resources: ResourceSpec;
  network: NetworkMode;
  /** `network: { mode: outbound, hostLoopback: true }`: the host's own 127.0.0.1 is reachable at the gateway. */
  hostLoopback?: boolean;
  /** `ports:`, published on the host (absent when none). */
  ports?: PortSpec[];
  readonly: boolean;
  timeoutMs?: number;
  container: { runtime: 'runc' };
  gvisor: { platform: 'auto' | 'systrap' | 'ptrace' | 'kvm' };
  /** `auto` or an absolute path to a vmlinux/bzImage. */
  kernel: string;
  microvm: { vmm: 'auto' | 'qemu' | 'firecracker' };
  devices: string[];
  gpu: 'none' | 'all' | number[];
  /** isolate only: absolute path of the Worker module. */
  worker?: string;
  compatibilityDate?: string;
  /** cold, warm (a warm isolate host; later snapshots) or auto (warm where possible); absent = auto. */
  start?: StartMode;
  /** Absolute path of the spec file and the 0-based index of its YAML document. */
  source: { file: string; document: number };
  /** microvm launched from a Firecracker `--config-file` (absolute path): see engine/vm/spec-request.ts. */
  firecrackerConfig?: string;
  /**
   * That config's content as read and checked when the spec was made: the launch uses it, not
   * the file again, so an edit between the check and the start changes nothing.
   */
  firecrackerConfigContent?: Record<string, unknown>;
}

/** A position in a text document, 0-based, as LSP counts it (UTF-16 code units). */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A text edit a quick fix applies. */
export interface SpecEdit {
  range: Range;
  newText: string;
}

export interface SpecFix {
  title: string;
  edits: SpecEdit[];
}

/** One problem in a spec: the language server shows it, `spectrum up` refuses on any error. */
export interface SpecDiagnostic {
  range: Range;
  severity: Severity;
  /** Stable code, e.g. `gpu-on-microvm`, `unknown-key`, `yaml-syntax`. */
  code: string;
  message: string;
  fixes?: SpecFix[];
}
