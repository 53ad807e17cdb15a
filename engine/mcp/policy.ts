// The agent policy (`.spectrum/agent-policy.yaml`): what an agent may ask of the engine. The user
// writes it; no tool an agent can call changes it. Parsing is pure and reports each problem with
// the text offsets of the value at fault, so the language server shows the same list the MCP
// server refuses on. An invalid file is never half applied: the server then refuses to create.
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { parseDuration, parseMemory } from '../spec/units';

/** The levels an agent can run commands in, weakest first (isolates run no processes). */
export const AGENT_LEVELS = ['container', 'gvisor', 'microvm', 'vm'] as const;
export type AgentLevel = (typeof AGENT_LEVELS)[number];

/** Network modes a policy may list; `none` is always allowed. */
export const AGENT_NETWORKS = ['none', 'outbound', 'host'] as const;
export type AgentNetwork = (typeof AGENT_NETWORKS)[number];

export const POLICY_FILE = '.spectrum/agent-policy.yaml';

export interface AgentPolicy {
  /** The weakest level an agent may use. */
  minLevel: AgentLevel;
  /** Image globs; host-path images (absolute, oci-layout:, docker-archive:) need a pattern of the same form. */
  images: string[];
  /** Network modes an agent may ask for, besides `none`. */
  network: AgentNetwork[];
  /** May an agent publish ports (on 127.0.0.1 only)? */
  ports: boolean;
  maxSandboxes: number;
  maxLifetimeMs: number;
  maxMemoryBytes: number;
  maxCpus: number;
}

/** What holds when there is no policy file: gVisor or stronger, no network, small and short-lived. */
export const DEFAULT_POLICY: Readonly<AgentPolicy> = Object.freeze<AgentPolicy>({
  minLevel: 'gvisor',
  images: ['**'],
  network: ['none'],
  ports: false,
  maxSandboxes: 3,
  maxLifetimeMs: 30 * 60_000,
  maxMemoryBytes: 512 * 1024 * 1024,
  maxCpus: 1,
});

export interface PolicyProblem {
  /** Offsets into the text of the value (or key) at fault. */
  start: number;
  end: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface ParsedPolicy {
  policy: AgentPolicy;
  problems: PolicyProblem[];
}

type Range = [number, number];
const rangeOf = (n: Node | null | undefined, fallback: Range): Range => (n?.range ? [n.range[0], n.range[1]] : fallback);

const KEYS = ['minLevel', 'images', 'network', 'ports', 'maxSandboxes', 'maxLifetime', 'maxMemory', 'maxCpus'] as const;
type Key = (typeof KEYS)[number];

/** Parses a policy text; `policy` is the defaults overlaid with every valid field. */
export function parsePolicy(text: string): ParsedPolicy {
  const problems: PolicyProblem[] = [];
  const policy: AgentPolicy = { ...DEFAULT_POLICY, images: [...DEFAULT_POLICY.images], network: [...DEFAULT_POLICY.network] };
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) problems.push({ start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1), severity: 'error', message: e.message.split('\n')[0] });
  if (problems.length) return { policy, problems };
  const whole: Range = [0, Math.max(1, text.length)];
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { policy, problems };
  if (!isMap(root)) {
    problems.push({ start: whole[0], end: whole[1], severity: 'error', message: 'An agent policy is a mapping of settings (minLevel, images, network, ports, maxSandboxes, maxLifetime, maxMemory, maxCpus).' });
    return { policy, problems };
  }
  const err = (n: Node | null | undefined, message: string, fallback: Range = whole) => {
    const [start, end] = rangeOf(n, fallback);
    problems.push({ start, end, severity: 'error', message });
  };
  for (const pair of root.items) {
    const keyNode = pair.key as Node | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const value = pair.value as Node | null;
    const keyRange = rangeOf(keyNode, whole);
    if (!(KEYS as readonly string[]).includes(key)) {
      err(keyNode, `Unknown setting '${key}'. Known: ${KEYS.join(', ')}.`);
      continue;
    }
    const scalar = isScalar(value) ? value.value : undefined;
    switch (key as Key) {
      case 'minLevel':
        if (typeof scalar === 'string' && (AGENT_LEVELS as readonly string[]).includes(scalar)) policy.minLevel = scalar as AgentLevel;
        else err(value, `minLevel must be one of ${AGENT_LEVELS.join(', ')} (isolates run no commands, so agents can't use them).`, keyRange);
        break;
      case 'images': {
        const items = isSeq(value) ? value.items : undefined;
        if (!items || items.some((i) => !isScalar(i) || typeof i.value !== 'string' || !i.value.trim())) {
          err(value, 'images must be a list of image patterns (e.g. [busybox, "python:*", "oci-layout:/srv/images/**"]).', keyRange);
          break;
        }
        policy.images = items.map((i) => String((i as { value: string }).value).trim());
        break;
      }
      case 'network': {
        const items = isSeq(value) ? value.items : undefined;
        const bad = items?.find((i) => !isScalar(i) || !(AGENT_NETWORKS as readonly unknown[]).includes(i.value));
        if (!items || bad) {
          err((bad as Node | undefined) ?? value, `network must be a list of modes an agent may ask for: ${AGENT_NETWORKS.join(', ')}.`, keyRange);
          break;
        }
        policy.network = [...new Set(['none', ...items.map((i) => (i as { value: AgentNetwork }).value)])] as AgentNetwork[];
        const host = items.find((i) => isScalar(i) && i.value === 'host');
        if (host) problems.push({ ...spanOf(host as Node, keyRange), severity: 'warning', message: 'network: host gives an agent\'s sandbox the host\'s own network stack: no network isolation at all.' });
        break;
      }
      case 'ports':
        if (typeof scalar === 'boolean') policy.ports = scalar;
        else err(value, 'ports must be true or false (published ports bind 127.0.0.1 only).', keyRange);
        break;
      case 'maxSandboxes':
        if (typeof scalar === 'number' && Number.isInteger(scalar) && scalar >= 0 && scalar <= 64) policy.maxSandboxes = scalar;
        else err(value, 'maxSandboxes must be a whole number from 0 to 64 (0 lets an agent create none).', keyRange);
        break;
      case 'maxLifetime': {
        const ms = typeof scalar === 'string' ? parseDuration(scalar) : undefined;
        if (ms !== undefined && ms >= 1000 && ms <= 24 * 3_600_000) policy.maxLifetimeMs = ms;
        else err(value, 'maxLifetime must be a duration from 1s to 24h, e.g. 30m or 2h.', keyRange);
        break;
      }
      case 'maxMemory': {
        const bytes = typeof scalar === 'string' ? parseMemory(scalar) : undefined;
        if (bytes !== undefined && bytes >= 16 * 1024 * 1024) policy.maxMemoryBytes = bytes;
        else err(value, 'maxMemory must be a size of at least 16Mi, e.g. 512Mi or 2Gi.', keyRange);
        break;
      }
      case 'maxCpus':
        if (typeof scalar === 'number' && scalar > 0 && scalar <= 64) policy.maxCpus = scalar;
        else err(value, 'maxCpus must be a number above 0 and at most 64.', keyRange);
        break;
    }
  }
  return { policy, problems };
}

function spanOf(n: Node, fallback: Range): { start: number; end: number } {
  const [start, end] = rangeOf(n, fallback);
  return { start, end };
}

/** The errors of a parse as one sentence, or undefined when there are none. */
export function policyErrors(parsed: ParsedPolicy, file: string): string | undefined {
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (!errors.length) return undefined;
  return `the agent policy ${file} is invalid (${errors.map((e) => e.message).join(' ')}); fix it, agents can create nothing until then`;
}
