// What in a spec has no Kubernetes equivalent. Errors refuse the export of that sandbox; warnings
// export it and say what a cluster does differently. Nothing is left out without one of the two.
import { classifyImage } from '../images/source';
import { isWildcard } from '../spec/ports';
import type { SandboxSpec } from '../spec/types';

export interface ExportProblem {
  sandbox: string;
  severity: 'error' | 'warning';
  /** Stable code, e.g. `k8s-isolate`; also the language server's diagnostic code. */
  code: string;
  /** The spec key the problem is about (for a diagnostic's range). */
  field: string;
  message: string;
}

/** What the cluster pulls when the spec says `busybox` (this host's busybox-static). */
export const BUSYBOX_IMAGE = 'docker.io/library/busybox:1.36';

export function exportProblems(s: SandboxSpec): ExportProblem[] {
  const out: ExportProblem[] = [];
  const err = (code: string, field: string, message: string) => out.push({ sandbox: s.name, severity: 'error', code, field, message });
  const warn = (code: string, field: string, message: string) => out.push({ sandbox: s.name, severity: 'warning', code, field, message });

  if (s.isolation === 'isolate') {
    err('k8s-isolate', 'isolation', 'isolate has no Kubernetes equivalent: a pod runs containers, not V8 isolates (workerd). Use container or gvisor with a Node or workerd image.');
    return out;
  }
  if (s.image === undefined) err('k8s-image-missing', 'image', 'a pod needs an image from a registry.');
  else {
    const k = classifyImage(s.image).kind;
    if (k === 'busybox') warn('k8s-busybox', 'image', `busybox means this host's busybox-static here; the cluster pulls ${BUSYBOX_IMAGE} instead.`);
    else if (k !== 'reference') err('k8s-local-image', 'image', `${s.image} is on this machine; a cluster pulls images from a registry. Push it (skopeo copy) and name the reference.`);
  }
  if (s.mounts.length) err('k8s-mounts', 'mounts', `mounts name this machine's directories (${s.mounts.map((m) => m.target).join(', ')}); a cluster node has no copy of them. Use a ConfigMap or a PersistentVolumeClaim and remove the mounts.`);
  if (s.devices.length) err('k8s-devices', 'devices', 'PCI passthrough of host devices has no Kubernetes equivalent without a device plugin for them; remove devices.');
  if (s.gpu === 'all') err('k8s-gpu-all', 'gpu', 'gpu: all has no Kubernetes equivalent: a pod asks for a number of GPUs (write gpu: [0] for one).');
  else if (Array.isArray(s.gpu) && s.gpu.length) warn('k8s-gpu', 'gpu', `exported as ${s.gpu.length} nvidia.com/gpu; the node needs the NVIDIA device plugin (the pod stays Pending without it), and the plugin, not the indexes, picks the GPUs.`);
  if (s.kernel !== 'auto') warn('k8s-kernel', 'kernel', 'kernel: a Kata RuntimeClass boots the guest kernel configured on the node; this one is not used.');
  if (s.network === 'host') err('k8s-host-network', 'network', 'network: host shares the node\'s network with the sandbox; refused rather than exported as hostNetwork.');
  if (s.hostLoopback) warn('k8s-host-loopback', 'network', 'hostLoopback: a pod cannot reach its node\'s 127.0.0.1; left out.');
  if (s.resources.pids !== undefined) warn('k8s-pids', 'resources', 'resources.pids: Kubernetes limits pids per node (kubelet podPidsLimit), not per pod; left out.');
  if (s.isolation === 'gvisor' && s.gvisor.platform !== 'auto') warn('k8s-gvisor-platform', 'gvisor', `gvisor.platform ${s.gvisor.platform}: the platform is set in the node's runsc configuration, not per pod.`);
  if (s.isolation === 'microvm' && s.microvm.vmm !== 'auto') warn('k8s-vmm', 'microvm', `microvm.vmm ${s.microvm.vmm}: the RuntimeClass decides the VMM (kata-fc: Firecracker).`);
  if (s.firecrackerConfig) err('k8s-firecracker-config', 'isolation', 'a Firecracker config file has no Kubernetes equivalent; write the sandbox as a spec.');
  for (const p of s.ports ?? []) {
    if (isWildcard(p.hostAddress)) warn('k8s-port-wildcard', 'ports', `port ${p.hostPort} is published on every address here; the exported Service is ClusterIP (inside the cluster only): add a LoadBalancer or Ingress to reach it from outside.`);
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(s.name)) warn('k8s-name', 'name', `${s.name} is not a DNS label; exported as ${kubernetesName(s.name)}.`);
  return out;
}

/** A DNS-1123 label from the spec's name (which also allows `_` and `.`). */
export function kubernetesName(name: string): string {
  return name.replace(/[_.]/g, '-').replace(/-+$/, '').slice(0, 63) || 'sandbox';
}
