// The pods an export deployed, read from `kubectl get pods -o json`: what the Cluster section of
// the Sandboxes view shows. Pure parsing; kubectl.ts runs the command. kubectl's JSON is another
// program's output, so every field is checked rather than trusted.
import { EngineError } from '../errors';
import { LEVEL_LABEL } from './kubernetes';

export interface ClusterPod {
  name: string;
  namespace: string;
  /** Pending | Running | Succeeded | Failed | Unknown, as the cluster reports it. */
  phase: string;
  /** `runtimeClassName` of the pod spec; undefined means the cluster's default (runc). */
  runtimeClass?: string;
  /** The level the export wrote in its label. */
  isolation?: string;
  node?: string;
  startedAt?: string;
  restarts: number;
  /** The first waiting/terminated reason of a container (CrashLoopBackOff, OOMKilled...). */
  reason?: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function containerReason(statuses: unknown[]): string | undefined {
  for (const c of statuses) {
    const state = obj(obj(c).state);
    const reason = str(obj(state.waiting).reason) ?? str(obj(state.terminated).reason);
    if (reason) return reason;
  }
  return undefined;
}

/** The pods of a `kubectl get pods -o json` answer (a List), sorted by namespace and name. */
export function parsePods(text: string): ClusterPod[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new EngineError(`kubectl get pods did not print JSON: ${(err as Error).message}`);
  }
  const items = obj(doc).items;
  if (!Array.isArray(items)) throw new EngineError('kubectl get pods printed JSON without an items list');
  const pods: ClusterPod[] = [];
  for (const item of items) {
    const meta = obj(obj(item).metadata);
    const spec = obj(obj(item).spec);
    const status = obj(obj(item).status);
    const name = str(meta.name);
    if (!name) continue;
    const statuses = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];
    const restarts = statuses.reduce<number>((n, c) => n + (typeof obj(c).restartCount === 'number' ? (obj(c).restartCount as number) : 0), 0);
    const pod: ClusterPod = { name, namespace: str(meta.namespace) ?? 'default', phase: str(status.phase) ?? 'Unknown', restarts };
    const optional: Partial<ClusterPod> = {
      runtimeClass: str(spec.runtimeClassName),
      isolation: str(obj(meta.labels)[LEVEL_LABEL]),
      node: str(spec.nodeName),
      startedAt: str(status.startTime),
      reason: containerReason(statuses) ?? str(status.reason),
    };
    for (const [k, v] of Object.entries(optional)) if (v !== undefined) (pod as unknown as Json)[k] = v;
    pods.push(pod);
  }
  return pods.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
