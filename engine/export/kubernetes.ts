// The spec as the Kubernetes manifests a cluster admin would write by hand: a Pod (a Job for a
// one-shot command) with the level's RuntimeClass and the engine's secure defaults, a
// NetworkPolicy for `network:`, a Service for `ports:`; the RuntimeClass objects apart, since
// they are cluster-wide and installed once. Pure: no files, no cluster.
import { classifyImage } from '../images/source';
import type { SandboxSpec } from '../spec/types';
import { BUSYBOX_IMAGE, exportProblems, kubernetesName, type ExportProblem } from './problems';
import { cpuQuantity, memoryQuantity } from './quantities';
import { DEFAULT_RUNTIME_CLASSES, runtimeClassFor, runtimeClassObject, type RuntimeClassNames } from './runtime-classes';

export type Manifest = Record<string, unknown>;

export interface KubernetesExportOptions {
  runtimeClasses?: RuntimeClassNames;
  /** The uid the pod runs as; the image's own user is unknown here, so a non-root one is chosen. */
  runAsUser?: number;
}

export interface KubernetesExport {
  /** Per exported sandbox: its workload, then its NetworkPolicy and Service. */
  workloads: Manifest[];
  /** One per RuntimeClass the workloads use. */
  runtimeClasses: Manifest[];
  /** Every problem of every sandbox; sandboxes with an error are not in `workloads`. */
  problems: ExportProblem[];
}

/** 65534 is `nobody` in most images: non-root without depending on the image's users. */
export const DEFAULT_RUN_AS_USER = 65534;
export const LEVEL_LABEL = 'isolation-spectrum.dev/isolation';
const NAME_LABEL = 'app.kubernetes.io/name';
const MANAGED = { 'app.kubernetes.io/managed-by': 'isolation-spectrum' };

/** A one-shot command runs to completion as a Job; anything serving ports stays a Pod. */
export function isOneShot(s: SandboxSpec): boolean {
  return (s.command !== undefined || s.entrypoint !== undefined) && !(s.ports ?? []).length;
}

export function toKubernetes(specs: SandboxSpec[], opts: KubernetesExportOptions = {}): KubernetesExport {
  const names = { ...DEFAULT_RUNTIME_CLASSES, ...opts.runtimeClasses };
  const result: KubernetesExport = { workloads: [], runtimeClasses: [], problems: [] };
  const used = new Set<string>();
  for (const s of specs) {
    const problems = exportProblems(s);
    result.problems.push(...problems);
    if (problems.some((p) => p.severity === 'error')) continue;
    const rc = runtimeClassFor(s.isolation, names);
    if (rc) used.add(rc);
    result.workloads.push(workload(s, rc, opts.runAsUser ?? DEFAULT_RUN_AS_USER), networkPolicy(s));
    const svc = service(s);
    if (svc) result.workloads.push(svc);
  }
  result.runtimeClasses = [...used].sort().map(runtimeClassObject);
  return result;
}

function labels(s: SandboxSpec): Record<string, string> {
  return { [NAME_LABEL]: kubernetesName(s.name), [LEVEL_LABEL]: s.isolation, ...MANAGED };
}

function container(s: SandboxSpec): Manifest {
  const image = classifyImage(s.image ?? '').kind === 'busybox' ? BUSYBOX_IMAGE : s.image;
  const c: Manifest = { name: kubernetesName(s.name), image };
  // Docker's and the spec's entrypoint/cmd are Kubernetes's command/args.
  if (s.entrypoint) c.command = s.entrypoint;
  if (s.command) c.args = s.command;
  const env = Object.entries(s.env);
  if (env.length) c.env = env.map(([name, value]) => ({ name, value }));
  const r: Record<string, string> = {};
  if (s.resources.cpus !== undefined) r.cpu = cpuQuantity(s.resources.cpus);
  if (s.resources.memoryBytes !== undefined) r.memory = memoryQuantity(s.resources.memoryBytes);
  const limits: Record<string, string | number> = { ...r };
  if (Array.isArray(s.gpu) && s.gpu.length) limits['nvidia.com/gpu'] = s.gpu.length;
  // Requests equal to limits: the pod gets what the sandbox gets here, no more, no less.
  if (Object.keys(limits).length) c.resources = { ...(Object.keys(r).length ? { requests: r } : {}), limits };
  if (s.ports?.length) c.ports = s.ports.map((p) => ({ containerPort: p.sandboxPort, protocol: p.protocol.toUpperCase() }));
  c.securityContext = {
    readOnlyRootFilesystem: s.readonly,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
  };
  return c;
}

function podSpec(s: SandboxSpec, runtimeClass: string | undefined, runAsUser: number, oneShot: boolean): Manifest {
  const spec: Manifest = {};
  if (runtimeClass) spec.runtimeClassName = runtimeClass;
  spec.automountServiceAccountToken = false;
  // Service links put every Service of the namespace into the env: the sandbox gets only its own.
  spec.enableServiceLinks = false;
  spec.securityContext = { runAsNonRoot: true, runAsUser, runAsGroup: runAsUser, seccompProfile: { type: 'RuntimeDefault' } };
  if (oneShot) spec.restartPolicy = 'Never';
  if (s.timeoutMs !== undefined) spec.activeDeadlineSeconds = Math.max(1, Math.ceil(s.timeoutMs / 1000));
  spec.containers = [container(s)];
  return spec;
}

function workload(s: SandboxSpec, runtimeClass: string | undefined, runAsUser: number): Manifest {
  const name = kubernetesName(s.name);
  const meta = { name, labels: labels(s) };
  if (!isOneShot(s)) return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: podSpec(s, runtimeClass, runAsUser, false) };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta,
    // One run, as `spectrum run`: a failure is reported, not retried.
    spec: { backoffLimit: 0, template: { metadata: { labels: labels(s) }, spec: podSpec(s, runtimeClass, runAsUser, true) } },
  };
}

/** none: no traffic in or out (loopback only, as here); outbound: egress allowed; ports: ingress on them. */
function networkPolicy(s: SandboxSpec): Manifest {
  const ports = (s.ports ?? []).map((p) => ({ protocol: p.protocol.toUpperCase(), port: p.sandboxPort }));
  const spec: Manifest = {
    podSelector: { matchLabels: { [NAME_LABEL]: kubernetesName(s.name) } },
    policyTypes: ['Ingress', 'Egress'],
    ingress: ports.length ? [{ ports }] : [],
    egress: s.network === 'outbound' ? [{}] : [],
  };
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `${kubernetesName(s.name)}-network`, labels: labels(s) }, spec };
}

function service(s: SandboxSpec): Manifest | undefined {
  if (!s.ports?.length) return undefined;
  const name = kubernetesName(s.name);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    // A Service name must start with a letter; a sandbox name may start with a digit.
    metadata: { name: /^[a-z]/.test(name) ? name : `s-${name}`.slice(0, 63), labels: labels(s) },
    spec: {
      type: 'ClusterIP',
      selector: { [NAME_LABEL]: name },
      ports: s.ports.map((p) => ({ name: `${p.protocol}-${p.hostPort}`, protocol: p.protocol.toUpperCase(), port: p.hostPort, targetPort: p.sandboxPort })),
    },
  };
}
