// The driver interface: one driver per runtime. A driver never spawns anything itself; it
// *describes* what to run and the engine's one runner/monitor executes it.
//
// How to add a driver:
//   1. Write `engine/drivers/<runtime>.ts` exporting an object that implements `Driver`.
//      - `isSupported(host)` is pure over the doctor's HostSnapshot: say why not and the exact fix.
//      - `prepare(ctx)` writes whatever the runtime needs into `ctx.dir` (config files, rootfs,
//        initramfs...) and returns a `LaunchPlan`: plain JSON, because the monitor process (which
//        has no driver code) gets it over IPC, executes it and keeps it in plan.json (so `down`
//        and `ps` can finish a tear-down even if that monitor dies).
//        A VM driver, for example: build the initramfs into ctx.dir, `process` = the VMM with its
//        argv, `readiness` = { kind: 'output', pattern: '<line the guest prints>' },
//        `stop` = [{ kind: 'qmp', socket, command: 'quit' }, { kind: 'signal', signal: 'SIGKILL' }],
//        `cleanup` = nothing (files under ctx.dir / ctx.runDir are removed by the engine).
//      - `exec`/`inspect` are optional extras run from the engine process (CLI or extension).
//   2. Add it to the table in `engine/drivers/registry.ts` (one line).
//   3. Unit-test `prepare`'s argv and `parse` helpers on recorded output; integration-test it
//      against the real runtime under test/integration/engine/.
import type { Isolation, SandboxSpec } from '../spec/types';
import type { HostSnapshot } from '../host/snapshot';

export interface Support {
  ok: boolean;
  /** Why not (when !ok), or a note (e.g. "TCG only: KVM unusable") when ok. */
  reason?: string;
  /** The exact command or step that fixes it. */
  fix?: string;
}

/** A process to run: argument arrays only, never a shell string. */
export interface ProcessSpec {
  command: string;
  args: string[];
  /** Added to (not replacing) the runner's environment. */
  env?: Record<string, string>;
  cwd?: string;
}

/** When a launched sandbox counts as up (the monitor checks it; the bench reuses it). */
export type Readiness =
  /** Up as soon as the process is spawned (one-shot commands: containers, gVisor). */
  | { kind: 'spawn' }
  /** Up at the first HTTP response (any status) from `url`. */
  | { kind: 'http'; url: string; intervalMs?: number; timeoutMs?: number }
  /** Up when stdout/stderr matches `pattern` (a RegExp source), e.g. a line on a serial console. */
  | { kind: 'output'; pattern: string; timeoutMs?: number }
  /**
   * Up once `path` exists: runc writes its --pid-file only when the container's process exists,
   * so a runtime that fails or hangs before that is a failed launch, not a running sandbox.
   */
  | { kind: 'file'; path: string; timeoutMs?: number };

/** One step of a graceful stop; steps run in order, each given until `waitMs` to end the process. */
export type StopStep =
  | { kind: 'signal'; signal: NodeJS.Signals; waitMs?: number }
  /** Run a helper command (e.g. `runc kill ID TERM`). */
  | { kind: 'command'; process: ProcessSpec; waitMs?: number }
  /** Send one QMP command (after the capabilities handshake) on a unix socket, e.g. `quit`. */
  | { kind: 'qmp'; socket: string; command: string; waitMs?: number };

/** What the monitor executes for one sandbox. Must survive JSON.stringify/parse. */
export interface LaunchPlan {
  /** The long-running runtime process the monitor owns (it is its child, in its own group). */
  process: ProcessSpec;
  readiness: Readiness;
  /** Graceful stop steps; after them the monitor kills the process group with SIGKILL. */
  stop: StopStep[];
  /**
   * Short commands run in order before `process` starts (e.g. a network namespace and its
   * user-mode stack); a failure fails the launch, and `cleanup` still runs.
   */
  before?: ProcessSpec[];
  /** Commands run after the process ended (e.g. `runc delete -f ID`); failures are logged. */
  cleanup: ProcessSpec[];
  /** Shown by inspect. */
  url?: string;
  rootfs?: string;
  network: string;
  /** The sandbox is stopped this long after it is ready (the spec's `timeout:`; set by the engine). */
  timeoutMs?: number;
  runtimeVersion?: string;
  extra?: Record<string, unknown>;
  /**
   * VMs: the guest's serial console carries the command's output and its exit code. The monitor
   * reads `log` (written by the VMM; stdout when absent) as the sandbox's output, drops the
   * lines tagged with `nonce`, and takes the exit code the guest reported (see engine/vm).
   */
  guestConsole?: { nonce: string; log?: string };
}

/** What a driver gets to prepare one sandbox. */
export interface DriverContext {
  id: string;
  spec: SandboxSpec;
  /** The sandbox's state directory (persistent until `down`): write artefacts here. */
  dir: string;
  /** A short per-sandbox directory for sockets and runtime state (paths < 108 bytes). */
  runDir: string;
  /** Shared cache (e.g. the busybox rootfs) under $XDG_CACHE_HOME/isolation-spectrum. */
  cacheDir: string;
  host: HostSnapshot;
  /** The user accepted a bundle that asks for privileges. */
  unsafe: boolean;
  /** The engine's environment (EngineOptions.env), e.g. SPECTRUM_KERNEL from the extension's settings. */
  env?: NodeJS.ProcessEnv;
}

export interface ExecOptions {
  tty?: boolean;
}

/** What exec/inspect get about a running sandbox. */
export interface RunningContext {
  id: string;
  dir: string;
  runDir: string;
  plan: LaunchPlan;
  pid?: number;
}

export interface Driver {
  readonly isolation: Isolation;
  /** Runtime name shown in inspect/doctor, e.g. `runc`, `runsc`, `workerd`, `qemu`. */
  readonly runtime: string;
  isSupported(host: HostSnapshot): Support;
  /** Matches specs this driver launches (a level can have several runtimes). */
  handles(spec: SandboxSpec, host: HostSnapshot): boolean;
  /** Build artefacts into ctx.dir and describe the launch. Throws EngineError for refusals. */
  prepare(ctx: DriverContext): Promise<LaunchPlan>;
  /**
   * The process that runs `command` inside the running sandbox; absent where exec is impossible.
   * With `tty`, the command gets a terminal (the caller's, which must be one).
   */
  exec?(ctx: RunningContext, command: string[], opts?: ExecOptions): ProcessSpec;
  /**
   * The short command that freezes (`pause`) or thaws (`resume`) every process of the running
   * sandbox (runc's freezer cgroup, runsc's own pause); absent where this level can't.
   */
  pauseCommand?(ctx: RunningContext, action: 'pause' | 'resume'): ProcessSpec;
  /** Level-specific inspect extras (e.g. QMP query-status); must be quick. */
  inspect?(ctx: RunningContext): Promise<Record<string, unknown>>;
}
