// container level: runc on an OCI bundle the engine builds (or the user's own bundle). Each
// sandbox gets its own runc state root in the runtime directory, so tear-down is `runc delete
// -f` plus removing that directory. network: outbound joins a namespace engine/net prepares
// (plan `before` steps) and tears down (cleanup).
import path from 'node:path';
import type { Driver, DriverContext, ExecOptions, LaunchPlan, RunningContext } from './driver';
import { prepareBundle } from '../oci/bundle';
import { prepareOutbound } from '../net/stack';

const RUNC_START_TIMEOUT_MS = 30_000;

function rootArgs(runDir: string, rootless: boolean): string[] {
  return ['--root', path.join(runDir, 'runc'), ...(rootless ? ['--rootless', 'true'] : [])];
}

/** `runc exec`: with tty, runc makes a pseudo-terminal and joins it to its own (terminal) stdio. */
export function runcExecArgs(runArgs: string[], id: string, command: string[], opts: ExecOptions = {}): string[] {
  return [...runArgs.slice(0, runArgs.indexOf('run')), 'exec', ...(opts.tty ? ['--tty'] : []), id, ...command];
}

export function runcRunArgs(o: { runDir: string; bundleDir: string; id: string; rootless: boolean; pidFile?: string }): string[] {
  return [...rootArgs(o.runDir, o.rootless), 'run', '--bundle', o.bundleDir, '--no-new-keyring', ...(o.pidFile ? ['--pid-file', o.pidFile] : []), o.id];
}

export const runcDriver: Driver = {
  isolation: 'container',
  runtime: 'runc',
  isSupported(host) {
    if (!host.binaries.runc) return { ok: false, reason: 'runc is not installed', fix: 'apt-get install runc' };
    if (!host.binaries.busybox) return { ok: false, reason: 'busybox-static is not installed (needed for image: busybox)', fix: 'apt-get install busybox-static' };
    if (!host.isRoot && host.userns === false) {
      return { ok: false, reason: 'not root, and unprivileged user namespaces are disabled, so rootless runc cannot work', fix: 'sysctl -w kernel.unprivileged_userns_clone=1 (or run as root)' };
    }
    return { ok: true, reason: host.isRoot ? undefined : 'rootless (user namespace): resource limits may not apply' };
  },
  handles: (spec) => spec.isolation === 'container' && spec.container.runtime === 'runc',
  async prepare(ctx: DriverContext): Promise<LaunchPlan> {
    const bin = ctx.host.binaries.runc?.path ?? 'runc';
    const net = prepareOutbound(ctx);
    const b = await prepareBundle(ctx, { netns: net?.netns });
    const rootless = !ctx.host.isRoot;
    const root = rootArgs(ctx.runDir, rootless);
    // runc writes the pid file once the container's process exists: until then a runc that
    // failed or hangs is a failed launch, with its own message, not a "running" sandbox.
    const pidFile = path.join(ctx.runDir, 'runc.pid');
    return {
      process: { command: bin, args: runcRunArgs({ runDir: ctx.runDir, bundleDir: b.bundleDir, id: ctx.id, rootless, pidFile }) },
      readiness: { kind: 'file', path: pidFile, timeoutMs: RUNC_START_TIMEOUT_MS },
      // runc forwards SIGTERM to the container's init; `runc kill` reaches it even if that fails.
      stop: [
        { kind: 'signal', signal: 'SIGTERM', waitMs: 1000 },
        { kind: 'command', process: { command: bin, args: [...root, 'kill', ctx.id, 'KILL'] }, waitMs: 2000 },
      ],
      ...(net ? { before: net.before } : {}),
      cleanup: [{ command: bin, args: [...root, 'delete', '--force', ctx.id] }, ...(net?.cleanup ?? [])],
      rootfs: b.rootfs,
      network: net ? net.describe : ctx.spec.network === 'host' ? 'host (no isolation)' : 'none (own namespace, loopback only)',
      runtimeVersion: ctx.host.binaries.runc?.version,
      extra: { bundle: b.bundleDir, givenBundle: b.given, ...(net?.ports.length ? { ports: net.ports } : {}) },
    };
  },
  exec(ctx: RunningContext, command: string[], opts = {}) {
    return { command: ctx.plan.process.command, args: runcExecArgs(ctx.plan.process.args, ctx.id, command, opts) };
  },
  // The freezer cgroup stops every process of the container at once (engine/snapshots/pause.ts).
  pauseCommand(ctx: RunningContext, action: 'pause' | 'resume') {
    const args = ctx.plan.process.args;
    return { command: ctx.plan.process.command, args: [...args.slice(0, args.indexOf('run')), action, ctx.id] };
  },
};
