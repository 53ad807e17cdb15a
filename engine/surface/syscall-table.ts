// The host's syscall table: the x86-64 ABI's names from the kernel headers, and which of them the
// running kernel actually has (its `__x64_sys_*` entry points in /proc/kallsyms: a syscall left out
// of the kernel's build, such as init_module without module support, is reachable by nobody).
import { readFileSync } from 'node:fs';

const UNISTD = ['/usr/include/x86_64-linux-gnu/asm/unistd_64.h', '/usr/include/asm/unistd_64.h'];

export interface SyscallTable {
  names: string[];
  /** Names the running kernel implements; absent when /proc/kallsyms could not be read. */
  implemented?: Set<string>;
  source: string;
}

/** `#define __NR_read 0` lines of unistd_64.h. */
export function parseUnistd(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/^#define __NR_([a-z0-9_]+)\s+\d+\s*$/gm)) names.add(m[1]);
  return [...names].sort();
}

/** Names of the x86-64 syscall entry points (`__x64_sys_NAME`) in /proc/kallsyms text. */
export function parseKallsyms(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/ [Tt] __x64_sys_([a-z0-9_]+)$/gm)) out.add(m[1]);
  return out;
}

let cached: SyscallTable | undefined;

export function hostSyscallTable(): SyscallTable {
  if (cached) return cached;
  let names: string[] | undefined;
  let source = '';
  for (const f of UNISTD) {
    try {
      names = parseUnistd(readFileSync(f, 'utf8'));
      source = f;
      break;
    } catch {
      // Try the next location.
    }
  }
  if (!names?.length) throw new Error('the x86-64 syscall table (unistd_64.h) is missing: apt-get install linux-libc-dev');
  let implemented: Set<string> | undefined;
  try {
    implemented = parseKallsyms(readFileSync('/proc/kallsyms', 'utf8'));
    if (implemented.size === 0) implemented = undefined;
  } catch {
    implemented = undefined;
  }
  cached = { names, implemented, source: implemented ? `${source} and /proc/kallsyms` : source };
  return cached;
}
