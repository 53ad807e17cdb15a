// Counts the syscalls an OCI seccomp profile lets through on x86-64, out of a syscall table.
// Pure: unit-tested on recorded profiles. A rule with argument conditions allows the syscall for
// some values only: it counts as reachable (some call gets through) and is listed as conditional.

export interface OciSeccompRule {
  names?: string[];
  /** Old profiles name one syscall per rule. */
  name?: string;
  action: string;
  args?: unknown[];
  includes?: { arches?: string[] };
  excludes?: { arches?: string[] };
}

export interface OciSeccomp {
  defaultAction: string;
  architectures?: string[];
  syscalls?: OciSeccompRule[];
}

export interface SeccompCount {
  reachable: number;
  of: number;
  allowed: string[];
  conditional: string[];
  /** In the table but not built into the running kernel (unreachable whatever the filter says). */
  missingFromKernel: number;
}

// LOG allows and logs; NOTIFY hands the call to a supervisor that may carry it out.
const ALLOWING = new Set(['SCMP_ACT_ALLOW', 'SCMP_ACT_LOG', 'SCMP_ACT_NOTIFY']);

function appliesToX86_64(rule: OciSeccompRule): boolean {
  const arch = 'amd64';
  if (rule.includes?.arches?.length && !rule.includes.arches.includes(arch)) return false;
  if (rule.excludes?.arches?.includes(arch)) return false;
  return true;
}

/**
 * Which of `table` the profile allows. Without a profile (no filter at all) everything is.
 * `implemented`: the running kernel's syscalls; others are unreachable either way.
 */
export function countSeccomp(profile: OciSeccomp | undefined, table: string[], implemented?: Set<string>): SeccompCount {
  const exists = (n: string) => !implemented || implemented.has(n);
  const missingFromKernel = table.filter((n) => !exists(n)).length;
  if (!profile) {
    const allowed = table.filter(exists);
    return { reachable: allowed.length, of: table.length, allowed, conditional: [], missingFromKernel };
  }
  if (profile.architectures?.length && !profile.architectures.includes('SCMP_ARCH_X86_64')) {
    throw new Error(`the seccomp profile does not cover x86-64 (architectures: ${profile.architectures.join(', ')})`);
  }
  const defaultAllows = ALLOWING.has(profile.defaultAction);
  // Per syscall: did an unconditional rule decide it, and did any conditional rule allow it?
  const decided = new Map<string, boolean>();
  const conditionallyAllowed = new Set<string>();
  const conditionallyDenied = new Set<string>();
  for (const rule of profile.syscalls ?? []) {
    if (!appliesToX86_64(rule)) continue;
    const allows = ALLOWING.has(rule.action);
    for (const n of rule.names ?? (rule.name ? [rule.name] : [])) {
      if (rule.args?.length) (allows ? conditionallyAllowed : conditionallyDenied).add(n);
      // libseccomp: a syscall has one unconditional action; the last rule given wins.
      else decided.set(n, allows);
    }
  }
  const allowed: string[] = [];
  const conditional: string[] = [];
  for (const n of table) {
    if (!exists(n)) continue;
    const unconditional = decided.get(n);
    const base = unconditional ?? defaultAllows;
    if (base) {
      allowed.push(n);
      if (conditionallyDenied.has(n)) conditional.push(n);
    } else if (conditionallyAllowed.has(n)) {
      allowed.push(n);
      conditional.push(n);
    }
  }
  return { reachable: allowed.length, of: table.length, allowed, conditional, missingFromKernel };
}
