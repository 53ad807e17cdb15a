// gvisor level: runsc on the very same OCI bundle as runc. Platform `auto` picks the best one
// this runsc has (systrap where it exists, else ptrace); network none unless asked; the bundle's
// seccomp profile also applies inside the sandbox (--oci-seccomp); --rootless when not root.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Driver, DriverContext, ExecOptions, LaunchPlan, RunningContext } from './driver';
import type { HostSnapshot } from '../host/snapshot';
import type { SandboxSpec } from '../spec/types';
import { prepareBundle } from '../oci/bundle';
import { EngineError } from '../errors';
import { runscTempDir } from './runsc-tmp';
import { prepareOutbound } from '../net/stack';

export function pickPlatform(wanted: SandboxSpec['gvisor']['platform'], host: HostSnapshot): string {
  const have = host.runsc?.platforms ?? ['ptrace'];
  if (wanted === 'auto') return have.includes('systrap') ? 'systrap' : 'ptrace';
  if (!have.includes(wanted)) {
    throw new EngineError(`this runsc has no '${wanted}' platform (it has: ${have.join(', ')})`, [], "gvisor: { platform: auto }");
  }
  return wanted;
}

export function runscGlobalArgs(o: { runDir: string; platform: string; network: SandboxSpec['network']; rootless: boolean; ociSeccomp: boolean }): string[] {
  return [
    '--root', path.join(o.runDir, 'runsc'),
    // outbound: runsc runs inside the private namespace engine/net prepared (see prepare).
    `--network=${o.network === 'none' ? 'none' : 'host'}`,
    `--platform=${o.platform}`,
    ...(o.ociSeccomp ? ['--oci-seccomp'] : []),
    ...(o.rootless ? ['--rootless'] : []),
  ];
}

/** The OCI process for a terminal exec: the container's own, running `command` with a tty. */
export function ttyProcess(base: Record<string, unknown> | undefined, command: string[]): Record<string, unknown> {
  return { cwd: '/', user: { uid: 0, gid: 0 }, env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ...base, args: command, terminal: true };
}

function readBundleProcess(ctx: RunningContext): Record<string, unknown> | undefined {
  const bundle = ctx.plan.extra?.bundle;
  if (typeof bundle !== 'string') return undefined;
  try {
    return (JSON.parse(readFileSync(path.join(bundle, 'config.json'), 'utf8')) as { process?: Record<string, unknown> }).process;
  } catch {
    // No readable bundle: the defaults above still give a usable shell.
    return undefined;
  }
}

/** The runsc binary and its global arguments (under nsenter for outbound, they follow `--` and the binary). */
export function runscCommand(plan: LaunchPlan): { bin: string; global: string[] } {
  const all = plan.process.args;
  const args = plan.process.command === 'nsenter' ? all.slice(all.indexOf('--') + 2) : all;
  const bin = plan.process.command === 'nsenter' ? all[all.indexOf('--') + 1] : plan.process.command;
  // A restored sandbox's plan says `restore` where a launched one says `run` (engine/snapshots).
  return { bin, global: args.slice(0, args.findIndex((a) => a === 'run' || a === 'restore')) };
}

export const runscDriver: Driver = {
  isolation: 'gvisor',
  runtime: 'runsc',
  isSupported(host) {
    if (!host.binaries.runsc) return { ok: false, reason: 'runsc (gVisor) is not installed', fix: 'apt-get install runsc' };
    if (!host.binaries.busybox) return { ok: false, reason: 'busybox-static is not installed (needed for image: busybox)', fix: 'apt-get install busybox-static' };
    const platforms = host.runsc?.platforms ?? ['ptrace'];
    const note = platforms.includes('systrap') ? 'platform auto: systrap' : 'platform auto: ptrace (this runsc has no systrap)';
    return { ok: true, reason: host.isRoot ? note : `${note}; rootless` };
  },
  handles: (spec) => spec.isolation === 'gvisor',
  async prepare(ctx: DriverContext): Promise<LaunchPlan> {
    const bin = ctx.host.binaries.runsc?.path ?? 'runsc';
    const platform = pickPlatform(ctx.spec.gvisor.platform, ctx.host);
    const net = prepareOutbound(ctx);
    // The sandbox process must be in the namespace too, not in a new one of runsc's.
    const b = await prepareBundle(ctx, { netns: net?.netns });
    // runsc's own temp files must sit where its unprivileged sandbox process can reach them.
    const env = { TMPDIR: runscTempDir(ctx.runDir) };
    const global = runscGlobalArgs({
      runDir: ctx.runDir,
      platform,
      network: ctx.spec.network,
      rootless: !ctx.host.isRoot,
      ociSeccomp: ctx.host.runsc?.ociSeccomp ?? true,
    });
    const run = [...global, 'run', '--bundle', b.bundleDir, ctx.id];
    return {
      // This runsc refuses its own netstack (--network=sandbox) on newer kernels, so outbound
      // runs it with --network=host inside the private namespace, entered with nsenter.
      process: net ? { command: 'nsenter', args: [`--net=${net.netns}`, '--', bin, ...run], env } : { command: bin, args: run, env },
      readiness: { kind: 'spawn' },
      stop: [
        { kind: 'signal', signal: 'SIGTERM', waitMs: 1000 },
        { kind: 'command', process: { command: bin, args: [...global, 'kill', ctx.id, 'KILL'], env }, waitMs: 2000 },
      ],
      ...(net ? { before: net.before } : {}),
      cleanup: [{ command: bin, args: [...global, 'delete', '-force', ctx.id], env }, ...(net?.cleanup ?? [])],
      rootfs: b.rootfs,
      network: net
        ? `${net.describe}; weaker boundary: gVisor's own netstack is not used, the Sentry uses the host kernel's network stack of that private namespace`
        : ctx.spec.network === 'host' ? 'host (no isolation)' : 'none (gVisor netstack, loopback only)',
      runtimeVersion: ctx.host.binaries.runsc?.version,
      extra: { platform, bundle: b.bundleDir, givenBundle: b.given, ...(net?.ports.length ? { ports: net.ports } : {}) },
    };
  },
  exec(ctx: RunningContext, command: string[], opts: ExecOptions = {}) {
    const { bin, global } = runscCommand(ctx.plan);
    if (!opts.tty) return { command: bin, args: [...global, 'exec', ctx.id, ...command], env: ctx.plan.process.env };
    // runsc exec has no --tty: a process file with `terminal: true` makes the caller's terminal
    // the process's controlling tty. It starts from the bundle's own process (env, cwd, user).
    const file = path.join(ctx.runDir, `exec-${randomBytes(3).toString('hex')}.json`);
    writeFileSync(file, JSON.stringify(ttyProcess(readBundleProcess(ctx), command)));
    return { command: bin, args: [...global, 'exec', '-process', file, ctx.id], env: ctx.plan.process.env };
  },
  // The Sentry stops every task of the sandbox (engine/snapshots/pause.ts).
  pauseCommand(ctx: RunningContext, action: 'pause' | 'resume') {
    const { bin, global } = runscCommand(ctx.plan);
    return { command: bin, args: [...global, action, ctx.id], env: ctx.plan.process.env };
  },
};
