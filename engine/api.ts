// The engine's public API: the one surface the CLI, the extension and live note blocks use.
// DRAFT contract; the engine work implements it (createEngine) and may extend it.
import type { Isolation, SpecDiagnostic } from './spec/types';
import type { Support } from './drivers/driver';

export type SandboxState = 'starting' | 'running' | 'exited' | 'failed' | 'stopping';
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
  signal?: AbortSignal;
  onOutput?: (chunk: string) => void;
}

export interface LevelReport {
  isolation: Isolation;
  runtime: string;
  support: Support;
  path?: string;
  version?: string;
}

export interface DoctorReport {
  levels: LevelReport[];
  facts: Record<string, unknown>;
}

/** Thrown for spec problems and launch failures; the CLI maps it to exit 125. */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly diagnostics: SpecDiagnostic[] = [],
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
