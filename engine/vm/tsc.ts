// The host's TSC frequency, for `tsc_early_khz=`: under TCG a guest that calibrates its TSC
// against the emulated PIT can hang or take seconds, so we tell it the frequency instead.
import { readFileSync } from 'node:fs';

/** `/sys/devices/system/cpu/cpu0/tsc_freq_khz` holds kHz directly where the kernel exposes it. */
export function parseTscFreqKhz(text: string): number | undefined {
  const n = Number(text.trim());
  return Number.isFinite(n) && n > 0 ? Math.round(n) : undefined;
}

/** The kernel log's "tsc: Detected 2445.406 MHz processor" (or "... MHz TSC"). */
export function parseDmesgTsc(text: string): number | undefined {
  const m = text.match(/tsc: Detected (\d+\.\d+) MHz/);
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

/** /proc/cpuinfo's first "cpu MHz" line. */
export function parseCpuinfoMhz(text: string): number | undefined {
  const m = text.match(/^cpu MHz\s*:\s*(\d+(?:\.\d+)?)/m);
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

function tryRead(p: string): string | undefined {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** The host TSC frequency in kHz, from the most precise source available; never guessed. */
export function hostTscKhz(read: (p: string) => string | undefined = tryRead): number | undefined {
  const sys = read('/sys/devices/system/cpu/cpu0/tsc_freq_khz');
  const fromSys = sys ? parseTscFreqKhz(sys) : undefined;
  if (fromSys) return fromSys;
  const cpuinfo = read('/proc/cpuinfo');
  return cpuinfo ? parseCpuinfoMhz(cpuinfo) : undefined;
}
