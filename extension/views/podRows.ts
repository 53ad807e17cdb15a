// How a deployed pod reads in the Cluster view. Pure, unit-tested.
import type { ClusterPod } from '../../engine/export/pods';

/** `Running · RuntimeClass gvisor` (or `default runtime`), plus restarts and a waiting reason. */
export function podDescription(p: ClusterPod): string {
  return [p.phase, p.runtimeClass ? `RuntimeClass ${p.runtimeClass}` : 'default runtime', p.restarts ? `${p.restarts} restart${p.restarts === 1 ? '' : 's'}` : '', p.reason ?? '']
    .filter(Boolean)
    .join(' · ');
}
