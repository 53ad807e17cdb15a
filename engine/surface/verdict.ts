// One line per level in the seed's terms: how much host code the workload can reach.
import type { AttackSurface } from './types';

export function verdictOf(s: Omit<AttackSurface, 'verdict'>): string {
  const sc = s.syscalls;
  const caps = s.capabilities.length ? `${s.capabilities.length} capabilities` : 'no capabilities';
  switch (s.kernel.kind) {
    case 'host':
      if (s.isolation === 'isolate') {
        return `V8 isolate: no syscalls, only workerd's API; the boundary is V8 itself, and behind it one host process (${sc.host?.reachable ?? '?'} host syscalls, ${caps})`;
      }
      return `shared host kernel ${s.kernel.release}: ${sc.reachable} of ${sc.of} syscalls reachable directly, ${caps}, ${s.namespaces.length} namespaces, ${s.devices.length} device nodes, ${s.writableMounts.length} writable mounts`;
    case 'sentry': {
      const impl = sc.implemented ? `${sc.implemented.full + sc.implemented.partial} syscalls served by the Sentry` : 'syscalls served by the Sentry';
      const host = sc.host ? `${sc.host.reachable} host syscalls behind its filter` : 'its host filter unmeasured';
      return `user-space kernel (gVisor ${s.kernel.release}, ${s.kernel.platform}): ${impl}, ${host}; a workload must break the Sentry first`;
    }
    case 'guest':
      return `own guest kernel ${s.kernel.release} on ${sc.interface === 'kvm' ? 'KVM' : 'TCG'}: no host syscalls directly; host reached only through ${s.devices.length} device-model entries and the VMM (${sc.host?.reachable ?? '?'} host syscalls, ${caps})`;
  }
}
