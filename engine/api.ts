// The engine's public API: the one surface the CLI, the extension and live note blocks use.
// `createEngine()` returns an Engine; everything else here is types and EngineError.
import type { Isolation, SandboxSpec, SpecDiagnostic } from './spec/types';
import type { Support } from './drivers/driver';
import type { HostSnapshot } from './host/snapshot';
import type { SnapshotEntry as SnapshotInfo } from './snapshots/store';
import type { AttackSurface } from './surface/types';
import type { CompareOptions, CompareProgress, CompareResult, LevelResult } from './compare/types';

export type { Isolation, SandboxSpec, SpecDiagnostic, Support, HostSnapshot };
export type { AttackSurface, CompareOptions, CompareProgress, CompareResult, LevelResult };

export type SandboxState = 'starting' | 'running' | 'paused' | 'exited' | 'failed' | 'stopping';
/** `cli`, or `window:<id>` for a VS Code window whose extension host owns it. */
export type Owner = string;

export interface SandboxInfo {
  id: string; // <name>-<6 hex>
  name: string;
  owner: Owner;
  isolation: Isolation;
  runtime: string;
  runtimeVersion?: string;
  state: SandboxState;
  pid?: number;
  startedAt?: string;
  uptimeMs?: number;
  exitCode?: number | null;
  memoryBytes?: number;
  cpuPercent?: number;
  network: string;
  rootfs?: string;
  specPath?: string;
  logPath: string;
  /** isolates: the URL the worker serves on. */
  url?: string;
  /** Level-specific extras (vcpus, accelerator, kernel...). */
  extra?: Record<string, unknown>;
}

export interface LaunchOptions {
  /** Only the sandbox with this name from the file. */
  name?: string;
  owner?: Owner;
  /** Allow bundles asking for privileges (the user confirmed). */
  unsafe?: boolean;
  /** An OCI bundle directory runs under runc (`container`, default) or runsc (`gvisor`). */
  bundleIsolation?: 'container' | 'gvisor';
  signal?: AbortSignal;
  /** Output chunks as they come (kept flowing for window-owned sandboxes). */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
}

export interface RunOptions {
  owner?: Owner;
  unsafe?: boolean;
  signal?: AbortSignal;
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Overrides the spec's `timeout:`; the sandbox is torn down when it passes. */
  timeoutMs?: number;
  /** isolates: the request path fetched once the worker is up (default `/`). */
  path?: string;
}

export interface RunResult {
  /** The sandbox's own exit code (isolates: 0 for a 2xx/3xx answer, else 1); null if killed. */
  exitCode: number | null;
  /** Output as it came (isolates: the response body). */
  output: string;
  durationMs: number;
  timedOut?: boolean;
  id: string;
}

export type { SnapshotEntry as SnapshotInfo } from './snapshots/store';
import type { ImageInfo, ImagePullOptions, PruneResult } from './images/service';
export type { ImageInfo, ImagePullOptions, PruneResult, PullProgress } from './images/service';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type { CopyResult } from './cp/copy';
import type { CopyResult } from './cp/copy';

export interface ExecCallOptions {
  stdio?: 'pipe' | 'inherit';
  tty?: boolean;
  /** Piped execs only: the command is killed past this (default 60 s). */
  timeoutMs?: number;
}

export interface LoadedSpecs {
  sandboxes: SandboxSpec[];
  diagnostics: SpecDiagnostic[];
}

export type EngineEvent = { type: 'changed' };

export interface Disposable {
  dispose(): void;
}

export interface EngineOptions {
  /** Environment for paths (XDG_*) and runtimes; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default owner of launched sandboxes: `cli` (default) or `window:<id>`. */
  owner?: Owner;
  /** Keep one monitor started ahead of time so launches skip Node's start-up (long-lived hosts). */
  prewarm?: boolean;
}

/** Everything the CLI, the extension and live note blocks can do with sandboxes. */
export interface Engine {
  /** Checks a spec file without launching (the same diagnostics the language server shows). */
  load(file: string): Promise<LoadedSpecs>;
  /** The launchable specs of a file (or an OCI bundle directory); throws EngineError on any error diagnostic. */
  specs(fileOrBundle: string, opts?: { name?: string }): Promise<SandboxSpec[]>;
  /** Launches every sandbox of a spec file (or the named one), or an OCI bundle directory. */
  up(fileOrBundle: string, opts?: LaunchOptions): Promise<SandboxInfo[]>;
  /** Launches an in-memory spec. */
  upSpec(spec: SandboxSpec, opts?: LaunchOptions): Promise<SandboxInfo>;
  /** Launches, waits for the end (or the timeout), tears down; returns exit code and output. */
  run(spec: SandboxSpec, opts?: RunOptions): Promise<RunResult>;
  /** All known sandboxes, reconciled with reality (dead monitors are noticed and cleaned up). */
  ps(): Promise<SandboxInfo[]>;
  inspect(idOrName: string): Promise<SandboxInfo>;
  /** What a running sandbox's workload can reach of the host (kernel, syscalls, devices...), measured from it. */
  surface(idOrName: string): Promise<AttackSurface>;
  /** Runs one workload at every level this host supports, one after another, and measures each alike. */
  compare(spec: SandboxSpec, opts?: CompareOptions): Promise<CompareResult>;
  /** The captured output; with `follow`, keeps calling onChunk until the sandbox ends or signal aborts. */
  logs(idOrName: string, opts?: { follow?: boolean; signal?: AbortSignal; onChunk?: (chunk: string) => void }): Promise<string>;
  /**
   * Runs a command inside a running sandbox; `inherit` hands it the caller's stdio. `tty` (needs
   * `inherit` and a terminal on stdin) gives the command that terminal, e.g. for `/bin/sh -i`.
   */
  exec(idOrName: string, command: string[], opts?: ExecCallOptions): Promise<ExecResult>;
  /**
   * Copies a host file or folder into a running sandbox, streamed as tar through its exec: into
   * `sandboxPath` when that is a folder, else as that name. Permissions and symlinks are kept.
   */
  copyIn(idOrName: string, hostPath: string, sandboxPath: string): Promise<CopyResult>;
  /**
   * Copies a sandbox's file or folder out to the host (into `hostPath` when that is a folder,
   * else as that name). The sandbox's tar is untrusted: an entry that would land outside the
   * destination refuses the whole copy, and nothing is written.
   */
  copyOut(idOrName: string, sandboxPath: string, hostPath: string): Promise<CopyResult>;
  /** Freezes every process of a running container or gVisor sandbox in place (memory kept). */
  pause(idOrName: string): Promise<SandboxInfo>;
  /** Thaws a paused sandbox. */
  resume(idOrName: string): Promise<SandboxInfo>;
  /**
   * Saves a running sandbox's whole state (gVisor: runsc checkpoint; microvm/vm: QEMU migration
   * to a file plus its writable disks; other levels refuse with the reason). This runsc can't
   * leave the source running: it is checkpointed and torn down; a VM goes on running.
   */
  snapshot(idOrName: string, opts?: { name?: string }): Promise<SnapshotInfo>;
  /** Starts a new sandbox from a snapshot, where its processes left off. */
  restore(snapshot: string, opts?: LaunchOptions): Promise<SandboxInfo>;
  /**
   * N independent copies of a running microVM/VM (its own QEMU, writable disks, MAC, machine id,
   * reseeded RNG, stepped clock each); the source keeps running. Other levels refuse with why.
   */
  fork(idOrName: string, opts?: { count?: number; owner?: Owner }): Promise<SandboxInfo[]>;
  snapshots(): Promise<SnapshotInfo[]>;
  deleteSnapshot(name: string): Promise<void>;
  /** Tears down and forgets; returns the ids removed. */
  down(idOrName: string): Promise<string[]>;
  downAll(filter?: { owner?: Owner }): Promise<string[]>;
  /** What this host can run; `refresh` probes every runtime again and rewrites the cached host snapshot. */
  doctor(opts?: { refresh?: boolean }): Promise<DoctorReport>;
  host(): Promise<HostSnapshot>;
  /** Pulls an image reference (or imports oci-layout:/docker-archive:) into the image store. */
  pullImage(image: string, opts?: ImagePullOptions): Promise<ImageInfo>;
  /** The images in the store, with the sandboxes launched from each. */
  images(): Promise<ImageInfo[]>;
  /** Forgets an image's name; its bytes are freed by the next prune. */
  removeImage(image: string): Promise<ImageInfo>;
  /** Deletes what no image and no known sandbox references; says how many bytes that freed. */
  pruneImages(): Promise<PruneResult>;
  /** With `prewarm`: resolves once a spare monitor is started and idle (call at activation). */
  warm(): Promise<void>;
  /** State changes from any window or CLI (fs.watch on the state directory, no polling). */
  onDidChange(listener: (e: EngineEvent) => void): Disposable;
  /** Stops watchers and the warm monitor; running sandboxes are not touched. */
  dispose(): void;
}

export { createEngine } from './engine';

export interface LevelReport {
  isolation: Isolation;
  runtime: string;
  support: Support;
  path?: string;
  version?: string;
}

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export interface DoctorReport {
  levels: LevelReport[];
  checks: DoctorCheck[];
  facts: Record<string, unknown>;
}

/** Thrown for spec problems and launch failures; the CLI maps it to exit 125. */
export { EngineError } from './errors';
