// Builds the SandboxSpec model of one checked document: defaults filled, sizes and durations
// converted, relative paths resolved against the spec file's directory.
import os from 'node:os';
import path from 'node:path';
import { isIsolation } from './levels';
import { toValue, type TreeNode } from './tree';
import type { MountSpec, NetworkMode, SandboxSpec } from './types';
import { parseDuration, parseMemory } from './units';
import { parsePorts } from './ports';
import { resolveImageValue } from '../images/source';

export function resolveSpecPath(p: string, dir: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/')) return path.join(os.homedir(), p.slice(2));
  return path.resolve(dir, p);
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Assumes the document passed the checks (no error diagnostics). */
export function buildSandbox(root: TreeNode, file: string, document: number): SandboxSpec | undefined {
  const v = obj(toValue(root));
  const dir = path.dirname(file);
  if (typeof v.name !== 'string' || !isIsolation(v.isolation)) return undefined;
  const image = str(v.image);
  const kernel = str(v.kernel) ?? 'auto';
  const resources = obj(v.resources);
  const mounts: MountSpec[] = (Array.isArray(v.mounts) ? v.mounts : []).map((m) => {
    const o = obj(m);
    return { source: resolveSpecPath(String(o.source ?? ''), dir), target: String(o.target ?? ''), writable: o.writable === true };
  });
  const env: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v.env))) env[k] = String(val);
  const gpu = Array.isArray(v.gpu) ? v.gpu.filter((n): n is number => typeof n === 'number') : v.gpu === 'all' ? 'all' : 'none';
  const spec: SandboxSpec = {
    name: v.name,
    isolation: v.isolation,
    image: image === undefined ? image : resolveImageValue(image, (p) => resolveSpecPath(p, dir)),
    command: Array.isArray(v.command) ? v.command.map(String) : undefined,
    entrypoint: Array.isArray(v.entrypoint) ? v.entrypoint.map(String) : undefined,
    env,
    mounts,
    resources: {
      cpus: typeof resources.cpus === 'number' ? resources.cpus : undefined,
      memoryBytes: parseMemory(resources.memory),
      pids: typeof resources.pids === 'number' ? resources.pids : undefined,
    },
    network: (str(v.network) ?? str(obj(v.network).mode) ?? 'none') as NetworkMode,
    hostLoopback: obj(v.network).hostLoopback === true ? true : undefined,
    ports: Array.isArray(v.ports) && v.ports.length ? parsePorts(v.ports) : undefined,
    readonly: v.readonly !== false,
    timeoutMs: parseDuration(v.timeout),
    container: { runtime: 'runc' },
    gvisor: { platform: (str(obj(v.gvisor).platform) as SandboxSpec['gvisor']['platform'] | undefined) ?? 'auto' },
    kernel: kernel === 'auto' ? 'auto' : resolveSpecPath(kernel, dir),
    microvm: { vmm: (str(obj(v.microvm).vmm) as SandboxSpec['microvm']['vmm'] | undefined) ?? 'auto' },
    devices: Array.isArray(v.devices) ? v.devices.map(String) : [],
    gpu,
    worker: str(v.worker) === undefined ? undefined : resolveSpecPath(String(v.worker), dir),
    compatibilityDate: str(v.compatibilityDate),
    start: str(v.start) as SandboxSpec['start'],
    source: { file, document },
  };
  // Absent optional keys stay absent rather than `undefined`, so specs compare cleanly.
  for (const k of ['image', 'command', 'entrypoint', 'timeoutMs', 'worker', 'compatibilityDate', 'hostLoopback', 'ports', 'start'] as const) if (spec[k] === undefined) delete spec[k];
  for (const k of ['cpus', 'memoryBytes', 'pids'] as const) if (spec.resources[k] === undefined) delete spec.resources[k];
  return spec;
}
