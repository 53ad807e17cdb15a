// Warm microVM starts: boot once per (kernel, initramfs modules, memory, vCPUs, QEMU, accelerator)
// to a point where /init waits on a fifo and the guest agent listens, save that (the warm base),
// and start later sandboxes by restoring it and handing their command over through the agent.
// The command's script carries the new sandbox's own nonce, so its start line and exit code are
// read exactly as a cold boot's; nothing is typed on the serial console, so no input can be lost
// before the guest reads it (the agent only takes a request once the guest has opened its port).
//
// Which launches can be warm: the base is shared, so it may hold nothing of one launch: the
// busybox initramfs, no mounts, no network, no disk image. Others start cold and say why.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LaunchPlan } from '../drivers/driver';
import type { SandboxSpec } from '../spec/types';
import type { EnginePaths } from '../state/paths';
import { EngineError } from '../errors';
import { readJson } from '../state/store';
import { exitMarker, shQuote, startMarker } from './init-script';
import { inputsHash, qemuInputs } from '../snapshots/qemu-inputs';
import type { SnapshotEntry, SnapshotMeta } from '../snapshots/store';

/** The fifo the base's /init reads its command script from. */
export const HANDOVER_FIFO = '/run/spectrum-go';
/** The base's command: make the fifo and run whatever script arrives in it. */
export const WAITER = ['/bin/sh', '-c', `mkfifo ${HANDOVER_FIFO} && . ${HANDOVER_FIFO}`];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why this spec can't start from a shared warm base, or undefined when it can. */
export function warmBlocker(spec: SandboxSpec): string | undefined {
  if (spec.isolation !== 'microvm') return `warm starts from a saved base exist for microvm (QEMU) sandboxes; ${spec.isolation} starts cold`;
  if (spec.microvm.vmm === 'firecracker' || spec.firecrackerConfig) return 'a Firecracker config boots cold';
  if (spec.image && spec.image !== 'busybox') return 'a warm base holds the busybox initramfs only; an image disk boots cold';
  if (spec.mounts.length) return 'mounts are attached at boot: a sandbox with mounts boots cold';
  if (spec.network !== 'none') return `network: ${spec.network} is set up at boot: it boots cold`;
  if (spec.devices.length) return 'passed-through devices boot cold';
  if (!spec.command?.length) return 'a sandbox without a command runs a console shell: it boots cold';
  return undefined;
}

export interface VmStartChoice {
  warm: boolean;
  why?: string;
}

/** `start:` for a microvm: `warm` builds the base when missing; `auto` uses one that exists. */
export function chooseVmStart(spec: SandboxSpec): VmStartChoice {
  const start = spec.start ?? 'auto';
  if (start === 'cold') return { warm: false, why: 'start: cold' };
  const blocker = warmBlocker(spec);
  if (blocker) {
    if (start === 'warm') throw new EngineError(`${spec.name}: start: warm is not possible: ${blocker}`, [], 'use start: auto or start: cold');
    return { warm: false, why: blocker };
  }
  return { warm: true };
}

/** The base's folder for the machine a prepared plan describes. */
export function warmBaseDir(paths: EnginePaths, plan: LaunchPlan): string {
  // Under the VM artefacts: `spectrum cache clean` removes bases with the other derived files.
  return path.join(paths.cache, 'vm', 'artefacts', 'warm', inputsHash(qemuInputs(plan)).slice(0, 32));
}

export function readWarmBase(dir: string): SnapshotEntry | undefined {
  const meta = readJson<SnapshotMeta>(path.join(dir, 'snapshot.json'));
  return meta?.vm && existsSync(path.join(dir, 'memory.bin')) ? { ...meta, path: dir } : undefined;
}

/** The spec the base boots: the launch's machine, waiting for a command. */
export function baseSpec(spec: SandboxSpec): SandboxSpec {
  return { ...spec, name: 'warm-base', command: WAITER, env: {}, start: 'cold', timeoutMs: undefined, ports: undefined };
}

/** What the base's /init runs once it arrives: the cold /init's tail, with this launch's nonce. */
export function renderHandover(nonce: string, command: string[], env: Record<string, string>, workdir = '/'): string {
  if (!/^[0-9a-f]{16,}$/.test(nonce)) throw new Error('nonce must be 16+ hex digits');
  if (!command.length) throw new Error('a warm start needs a command');
  const l = [`M=${exitMarker(nonce)}`];
  for (const [k, v] of Object.entries(env)) {
    if (!ENV_NAME.test(k)) throw new Error(`invalid environment variable name: ${k}`);
    l.push(`export ${k}=${shQuote(v)}`);
  }
  l.push(`cd ${shQuote(workdir)} 2>/dev/null || cd /`);
  l.push(`echo ${startMarker(nonce)}`);
  l.push(command.map(shQuote).join(' '));
  l.push('rc=$?', 'sync', 'printf \'\\n%s:%d\\n\' "$M" "$rc"', 'poweroff -f');
  return l.join('\n') + '\n';
}
