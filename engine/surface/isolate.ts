// isolate level: JS/Wasm in a V8 isolate has no syscalls and no files of its own; what it can
// reach is workerd's API, and a V8 escape lands in the workerd process, measured here.
import os from 'node:os';
import type { AttackSurface } from './types';
import type { SurfaceTarget } from './target';
import { hostSyscallTable } from './syscall-table';
import { countSeccomp } from './seccomp-count';
import { processFacts } from './host-process';

export function isolateSurface(t: SurfaceTarget): Omit<AttackSurface, 'verdict'> {
  const facts = processFacts(t.pid);
  const table = hostSyscallTable();
  const all = countSeccomp(undefined, table.names, table.implemented);
  return {
    id: t.id,
    isolation: t.isolation,
    runtime: t.runtime,
    kernel: { kind: 'host', release: os.release(), source: 'the host kernel (uname), under the workerd process' },
    syscalls: {
      reachable: 0,
      of: table.names.length,
      source: 'JS and Wasm in an isolate make no syscalls; they call workerd\'s API',
      host: {
        reachable: all.reachable,
        of: table.names.length,
        source: facts.status.seccomp === 2 ? 'workerd runs under a seccomp filter that cannot be read back: counted as unfiltered' : 'workerd runs without a seccomp filter: a V8 escape reaches every host syscall',
      },
    },
    devices: [],
    capabilities: facts.capabilities,
    namespaces: facts.namespaces,
    writableMounts: [],
    measured: { pid: t.pid, what: 'the workerd process' },
  };
}
