// Pure side of running a live note block: which levels to try (and why others are skipped), the
// in-memory spec for each, and the Worker module a js block becomes. No vscode import: unit-tested.
import type { DoctorReport, RunResult, SandboxSpec } from '../../engine/api';
import { ISOLATION_LEVELS, type Isolation } from '../../engine/spec/types';
import { defaultSpec } from '../../engine/spec/defaults';
import type { RunBlockArgs } from '../../language-server/protocol';

export interface PlannedRun {
  level: string;
  /** Set when this level is not run, saying why. */
  skip?: string;
}

export const BLOCK_TIMEOUT_MS = 120_000;

function languageFits(language: RunBlockArgs['language'], level: string): string | undefined {
  if (language === 'sh' && level === 'isolate') return 'an isolate has no shell and makes no syscalls';
  if (language === 'js' && level !== 'isolate') return 'js blocks run as a Worker module, only in an isolate';
  return undefined;
}

export function planLevels(args: RunBlockArgs, doctor?: DoctorReport): PlannedRun[] {
  const levels = args.levels === 'all' ? [...ISOLATION_LEVELS] : args.levels;
  return levels.map((level) => {
    if (!(ISOLATION_LEVELS as readonly string[]).includes(level)) return { level, skip: `unknown level (use ${ISOLATION_LEVELS.join(', ')})` };
    const misfit = languageFits(args.language, level);
    if (misfit) return { level, skip: misfit };
    const report = doctor?.levels.find((l) => l.isolation === level);
    if (report && !report.support.ok) {
      return { level, skip: `not supported on this host: ${report.support.reason ?? 'no runtime'}${report.support.fix ? ` (fix: ${report.support.fix})` : ''}` };
    }
    return { level };
  });
}

/**
 * A js block becomes the body of a Worker's fetch handler: its console output is collected and
 * sent back as the response, and an uncaught error as a 500 with the stack. A block that already
 * is a module (`export default`) runs as written.
 */
export function workerModule(code: string): string {
  if (/^\s*export\s+default\b/m.test(code)) return code;
  // Everything before the block sits on line 1, so line N+1 of a stack trace is line N of the block.
  const head = [
    'const show = (v) => { if (typeof v === "string") return v; try { return JSON.stringify(v); } catch { return String(v); } };',
    'export default { async fetch() { const lines = []; const saved = {};',
    'for (const k of ["log", "info", "warn", "error", "debug"]) { saved[k] = console[k]; console[k] = (...a) => lines.push(a.map(show).join(" ")); }',
    'try { await (async () => {',
  ].join(' ');
  const tail = [
    '})(); return new Response(lines.map((l) => l + "\\n").join(""));',
    '} catch (e) { lines.push("Uncaught " + ((e && e.stack) || String(e))); return new Response(lines.map((l) => l + "\\n").join(""), { status: 500 }); }',
    'finally { Object.assign(console, saved); } } };',
  ].join(' ');
  return `${head}\n${code}\n${tail}\n`;
}

/** The in-memory spec for one run: busybox rootfs, no network, read-only, `/bin/sh -c`. */
export function blockSpec(args: RunBlockArgs, level: Isolation, opts: { sourceFile: string; workerPath?: string }): SandboxSpec {
  const spec = defaultSpec(`note-block-${args.line + 1}`, level, opts.sourceFile, {
    resources: level === 'microvm' || level === 'vm' ? { memoryBytes: 256 * 1024 * 1024 } : {},
    timeoutMs: BLOCK_TIMEOUT_MS,
  });

  if (level === 'isolate') {
    spec.worker = opts.workerPath;
    spec.compatibilityDate = '2025-01-01';
  } else {
    spec.image = 'busybox';
    spec.command = ['/bin/sh', '-c', args.code];
  }
  return spec;
}

export function formatRun(level: string, result: RunResult): string {
  const status = result.timedOut ? 'timed out' : `exit ${result.exitCode ?? 'killed'}`;
  const body = result.output.endsWith('\n') || result.output === '' ? result.output : `${result.output}\n`;
  return `── ${level}: ${status} in ${Math.round(result.durationMs)} ms\n${body}`;
}

/** One line for the editor, after the block: level, exit code, time, first line of output. */
export function inlineSummary(level: string, result: RunResult): string {
  const status = result.timedOut ? 'timed out' : `exit ${result.exitCode ?? 'killed'}`;
  const first = result.output.split('\n').find((l) => l.trim()) ?? '';
  return `${level}: ${status}, ${Math.round(result.durationMs)} ms${first ? ` "${first.trim()}"` : ''}`;
}
