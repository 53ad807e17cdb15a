// Container level: the workload runs on the host kernel, so its surface is what runc left it:
// the seccomp filter (counted from the bundle's config, checked against the process's Seccomp
// field), capabilities, namespaces, /dev nodes and writable mounts of the container's init.
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { processTree } from '../host/procfs';
import type { AttackSurface } from './types';
import type { SurfaceTarget } from './target';
import { countSeccomp, type OciSeccomp } from './seccomp-count';
import { hostSyscallTable } from './syscall-table';
import { devNodes, processFacts } from './host-process';
import { enteredNamespaces } from './proc-status';
import { settle } from './settle';

/** The container's init: the first process under the runtime that sits in its own pid namespace. */
export function containerInit(runtimePid: number): number | undefined {
  for (const s of processTree(runtimePid)) {
    if (s.pid !== runtimePid && enteredNamespaces(s.pid).includes('pid')) return s.pid;
  }
  return undefined;
}

export function bundleSeccomp(bundle: string | undefined): { profile?: OciSeccomp; found: boolean } {
  if (!bundle) return { found: false };
  try {
    const cfg = JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8')) as { linux?: { seccomp?: OciSeccomp } };
    return { profile: cfg.linux?.seccomp, found: true };
  } catch {
    return { found: false };
  }
}

export async function containerSurface(t: SurfaceTarget): Promise<Omit<AttackSurface, 'verdict'>> {
  const notes: string[] = [];
  const init = await settle(() => containerInit(t.pid));
  if (!init) throw new Error(`no process of ${t.id} runs inside its namespaces yet (still starting, or already ended)`);
  const facts = processFacts(init);
  const table = hostSyscallTable();
  const { profile, found } = bundleSeccomp(t.plan.extra?.bundle as string | undefined);
  let count = countSeccomp(undefined, table.names, table.implemented);
  let source = 'no seccomp filter (Seccomp: 0 in /proc/PID/status): every syscall of the host kernel';
  if (facts.status.seccomp === 2 && profile) {
    count = countSeccomp(profile, table.names, table.implemented);
    source = `the bundle's seccomp profile (${facts.status.seccompFilters ?? '?'} filter(s) installed, per /proc/PID/status)`;
  } else if (facts.status.seccomp === 2) {
    source = `a seccomp filter is installed (${facts.status.seccompFilters ?? '?'} filter(s)) but ${found ? 'its bundle names no profile' : 'its bundle could not be read'}: counted as unfiltered, an upper bound`;
    notes.push(source);
  } else if (facts.status.seccomp === 1) {
    count = { ...count, reachable: 4, allowed: ['read', 'write', 'exit', 'rt_sigreturn'], conditional: [] };
    source = 'strict seccomp mode: read, write, exit, sigreturn';
  }
  if (count.missingFromKernel) notes.push(`${count.missingFromKernel} syscalls of the table are not built into this kernel`);
  return {
    id: t.id,
    isolation: t.isolation,
    runtime: t.runtime,
    kernel: { kind: 'host', release: os.release(), source: 'the host kernel (uname)' },
    syscalls: { reachable: count.reachable, of: count.of, source, ...(count.conditional.length ? { conditional: count.conditional } : {}) },
    devices: devNodes(init),
    capabilities: facts.capabilities,
    namespaces: facts.namespaces,
    writableMounts: facts.writableMounts,
    measured: { pid: init, what: 'the container\'s init process' },
    ...(notes.length ? { notes } : {}),
  };
}
