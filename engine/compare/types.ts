// Compare Across Spectrum: one workload run at every level this host supports, measured alike.
import type { Isolation } from '../spec/types';

export interface LevelResult {
  isolation: Isolation;
  runtime?: string;
  /** What separates the workload from the host at this level, shown under its bar. */
  boundary: string;
  /** From the launch call to the workload's first output (VMs: boot included). */
  firstOutputMs?: number;
  /** Largest resident memory of the sandbox's processes seen while it ran (runtime, VMM, Sentry...). */
  peakMemoryBytes?: number;
  /** The workload's own run time: from its first output to its end. */
  runMs?: number;
  exitCode?: number | null;
  /** The level was not run (unsupported here, or incompatible with the workload), or it failed. */
  skipped?: string;
  error?: string;
}

export interface CompareResult {
  /** The spec file and document the workload came from. */
  spec: { file: string; name: string };
  startedAt: string;
  host: { kernel: string; cpus: number; loadavg: number[] };
  levels: LevelResult[];
}

export interface CompareProgress {
  level: Isolation;
  index: number;
  total: number;
  phase: 'start' | 'done';
  result?: LevelResult;
}

export interface CompareOptions {
  /** Levels to try (default: all, in spectrum order). */
  levels?: Isolation[];
  signal?: AbortSignal;
  onProgress?: (p: CompareProgress) => void;
  /** Per level; the spec's own `timeout:` applies when absent. */
  timeoutMs?: number;
}
