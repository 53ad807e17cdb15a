// `spectrum run` and `up` start their sandbox monitor first thing, so its Node start-up overlaps
// the CLI's own (loading the engine, parsing the spec, preparing the bundle). A glance at the
// file decides whether one will be needed: JavaScript isolates start warm in a shared workerd
// and take no monitor, and a monitor started for nothing only competes for the CPU.
import { readFileSync, statSync } from 'node:fs';
import { discardEarlyMonitor, startMonitorEarly } from '../lifecycle/monitors';

export { discardEarlyMonitor };

/** Only a glance: the engine reads the file properly (and reports its errors) later. */
const GLANCE_BYTES = 256 * 1024;

/** False when every `isolation:` in the file says isolate; true for anything else (bundle dirs too). */
export function mayNeedMonitor(target: string): boolean {
  try {
    const st = statSync(target);
    if (!st.isFile()) return true;
    if (st.size > GLANCE_BYTES) return true;
    const levels = [...readFileSync(target, 'utf8').matchAll(/^\s*isolation:\s*["']?([a-z]+)/gm)].map((m) => m[1]);
    return !(levels.length > 0 && levels.every((l) => l === 'isolate'));
  } catch {
    return true;
  }
}

export function startEarlyMonitor(target: string | undefined): void {
  if (target !== undefined && !mayNeedMonitor(target)) return;
  try {
    startMonitorEarly(process.env);
  } catch {
    // No monitor bundle: the launch itself reports that, with its fix.
  }
}
