// gvisor level: runsc on the very same OCI bundle as runc. Platform `auto` picks the best one
// this runsc has (systrap where it exists, else ptrace); network none unless asked; the bundle's
// seccomp profile also applies inside the sandbox (--oci-seccomp); --rootless when not root.
import path from 'node:path';
import type { Driver, DriverContext, LaunchPlan, RunningContext } from './driver';
import type { HostSnapshot } from '../host/snapshot';
import type { SandboxSpec } from '../spec/types';
import { prepareBundle } from '../oci/bundle';
import { EngineError } from '../errors';

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
    `--network=${o.network === 'host' ? 'host' : 'none'}`,
    `--platform=${o.platform}`,
    ...(o.ociSeccomp ? ['--oci-seccomp'] : []),
    ...(o.rootless ? ['--rootless'] : []),
  ];
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
    const b = await prepareBundle(ctx);
    const global = runscGlobalArgs({
      runDir: ctx.runDir,
      platform,
      network: ctx.spec.network,
      rootless: !ctx.host.isRoot,
      ociSeccomp: ctx.host.runsc?.ociSeccomp ?? true,
    });
    return {
      process: { command: bin, args: [...global, 'run', '--bundle', b.bundleDir, ctx.id] },
      readiness: { kind: 'spawn' },
      stop: [
        { kind: 'signal', signal: 'SIGTERM', waitMs: 1000 },
        { kind: 'command', process: { command: bin, args: [...global, 'kill', ctx.id, 'KILL'] }, waitMs: 2000 },
      ],
      cleanup: [{ command: bin, args: [...global, 'delete', '-force', ctx.id] }],
      rootfs: b.rootfs,
      network: ctx.spec.network === 'host' ? 'host (no isolation)' : 'none (gVisor netstack, loopback only)',
      runtimeVersion: ctx.host.binaries.runsc?.version,
      extra: { platform, bundle: b.bundleDir, givenBundle: b.given },
    };
  },
  exec(ctx: RunningContext, command: string[]) {
    const args = ctx.plan.process.args;
    return { command: ctx.plan.process.command, args: [...args.slice(0, args.indexOf('run')), 'exec', ctx.id, ...command] };
  },
};
