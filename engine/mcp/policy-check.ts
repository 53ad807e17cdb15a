// An agent's create request measured against the policy, and the spec it becomes. Pure: every
// refusal is a sentence naming the policy setting that refused it, so the agent (and the user
// reading the transcript) know what to change and where.
import path from 'node:path';
import { EngineError } from '../errors';
import { classifyImage, isStoreImage, splitLayoutSpec } from '../images/source';
import { defaultSpec } from '../spec/defaults';
import { MIN_GUEST_MEMORY } from '../spec/levels';
import { isWildcard, parsePort } from '../spec/ports';
import type { PortSpec, SandboxSpec } from '../spec/types';
import { formatBytes, parseMemory } from '../spec/units';
import { imageAllowed, isHostPathImage } from './image-glob';
import { AGENT_LEVELS, type AgentLevel, type AgentNetwork, type AgentPolicy } from './policy';

export interface CreateRequest {
  level?: AgentLevel;
  image?: string;
  memory?: string;
  cpus?: number;
  network?: AgentNetwork;
  ports?: string[];
  writable_root?: boolean;
  name?: string;
}

/** Printed by the keep-alive workload once it runs: commands can be executed from then on. */
export const READY_MARKER = 'spectrum-agent-sandbox-ready';
// The workload only keeps the sandbox alive; the agent's commands come through exec. A loop of
// sleeps rather than `sleep infinity`, which not every image's sleep understands.
const KEEP_ALIVE = `echo ${READY_MARKER}; while :; do sleep 3600; done`;

export interface CreatePlan {
  spec: SandboxSpec;
  lifetimeMs: number;
}

const refuse = (why: string, fix?: string) => new EngineError(`refused by the agent policy: ${why}`, [], fix);

export function strength(level: AgentLevel): number {
  return AGENT_LEVELS.indexOf(level);
}

/**
 * The spec for a request, or an EngineError saying which policy setting refuses it. `live` is how
 * many sandboxes this agent session already has (or is creating).
 */
export function planCreate(req: CreateRequest, policy: AgentPolicy, o: { policyFile: string; live: number }): CreatePlan {
  const where = `(${o.policyFile})`;
  const level = req.level ?? policy.minLevel;
  if (strength(level) < strength(policy.minLevel)) {
    const allowed = AGENT_LEVELS.filter((l) => strength(l) >= strength(policy.minLevel)).join(', ');
    throw refuse(`level ${level} is weaker than minLevel ${policy.minLevel} ${where}; allowed: ${allowed}`, `ask for level ${policy.minLevel}`);
  }
  if (o.live >= policy.maxSandboxes) {
    throw refuse(`this session already has ${o.live} sandbox${o.live === 1 ? '' : 'es'}, the most maxSandboxes allows ${where}`, 'destroy one first');
  }
  const image = req.image ?? 'busybox';
  if (isHostPathImage(image)) {
    const src = classifyImage(image);
    const hostPath = src.kind === 'oci-layout' ? splitLayoutSpec(src.spec).dir : 'path' in src ? src.path : image;
    // `..` or a relative path could walk out of the folder a pattern allows.
    if (!path.isAbsolute(hostPath) || path.normalize(hostPath) !== hostPath) throw refuse(`image ${image} names a host path that is not absolute and normalised`);
  }
  if (!imageAllowed(image, policy.images)) {
    const hint = isHostPathImage(image) ? ' (an image from a host path needs a pattern of the same form, e.g. oci-layout:/srv/images/**)' : '';
    throw refuse(`image ${image} matches none of images: [${policy.images.join(', ')}] ${where}${hint}`);
  }
  const network = req.network ?? 'none';
  if (!policy.network.includes(network)) throw refuse(`network ${network} is off: network lists only [${policy.network.join(', ')}] ${where}`, 'ask for network: none');
  let ports: PortSpec[] | undefined;
  if (req.ports?.length) {
    if (!policy.ports) throw refuse(`publishing ports is off (ports: false) ${where}`);
    ports = req.ports.map((entry) => {
      const p = parsePort(entry);
      if (typeof p === 'string') throw new EngineError(p);
      if (isWildcard(p.hostAddress) || p.hostAddress !== '127.0.0.1') throw refuse(`port ${entry} binds ${p.hostAddress}: agents publish on 127.0.0.1 only`);
      return p;
    });
  }
  let memoryBytes = policy.maxMemoryBytes;
  if (req.memory !== undefined) {
    const m = parseMemory(req.memory);
    if (m === undefined || m <= 0) throw new EngineError(`memory ${req.memory} is not a size (e.g. 256Mi, 1Gi)`);
    if (m > policy.maxMemoryBytes) throw refuse(`memory ${req.memory} is above maxMemory ${formatBytes(policy.maxMemoryBytes)} ${where}`);
    memoryBytes = m;
  }
  const guestMin = MIN_GUEST_MEMORY[level];
  if (guestMin && memoryBytes < guestMin) throw new EngineError(`a ${level} guest needs at least ${formatBytes(guestMin)} of memory; ${formatBytes(memoryBytes)} is too little`);
  const cpus = req.cpus ?? Math.min(1, policy.maxCpus);
  if (cpus > policy.maxCpus) throw refuse(`cpus ${cpus} is above maxCpus ${policy.maxCpus} ${where}`);
  const spec = defaultSpec(req.name ?? 'agent', level, o.policyFile, {
    image,
    // A store image's Entrypoint is replaced by `entrypoint:`; busybox and host folders run `command:`.
    ...(isStoreImage(image) ? { entrypoint: ['/bin/sh', '-c', KEEP_ALIVE] } : { command: ['/bin/sh', '-c', KEEP_ALIVE] }),
    resources: { memoryBytes, cpus },
    network,
    ...(ports ? { ports } : {}),
    readonly: !req.writable_root,
    // The monitor enforces the lifetime too, so it holds even if this server hangs.
    timeoutMs: policy.maxLifetimeMs,
  });
  return { spec, lifetimeMs: policy.maxLifetimeMs };
}
