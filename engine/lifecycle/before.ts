// A plan's `before` steps: short commands the monitor runs, in order, before it starts the
// runtime (e.g. a network namespace and the user-mode stack attached to it). The first failure
// stops the launch; the plan's cleanup undoes what the earlier steps did.
import type { ProcessSpec } from '../drivers/driver';
import { runCommand } from '../runner';

const STEP_TIMEOUT_MS = 15_000;

/** Runs the steps; returns why one failed, or undefined when all succeeded. */
export async function runBeforeSteps(steps: ProcessSpec[], log: (s: string) => void): Promise<string | undefined> {
  for (const step of steps) {
    const what = `${step.command} ${step.args.join(' ')}`;
    try {
      const r = await runCommand(step, { timeoutMs: STEP_TIMEOUT_MS });
      if (r.exitCode !== 0) {
        log(`before: ${what}: exit ${r.exitCode} ${r.stderr.trim()}`);
        return `${what} failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-1)[0] || 'no message'}`;
      }
    } catch (err) {
      log(`before: ${what}: ${(err as Error).message}`);
      return `${what} failed: ${(err as Error).message}`;
    }
  }
  return undefined;
}
