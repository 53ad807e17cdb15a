// DRAFT interface, refined by the engine work: one driver per runtime, each *describes* the
// processes it needs; one runner (engine/runner) executes them. Drivers never spawn directly.
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
  env?: Record<string, string>;
  cwd?: string;
}

export interface Driver {
  readonly isolation: Isolation;
  /** Runtime name shown in inspect/doctor, e.g. `runc`, `runsc`, `workerd`, `qemu`. */
  readonly runtime: string;
  isSupported(host: HostSnapshot): Support;
  /** Matches specs this driver launches (a level can have several runtimes). */
  handles(spec: SandboxSpec): boolean;
}
