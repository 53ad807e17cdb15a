// A sandbox's view of a cached image rootfs: as root, an overlayfs whose upper layer lives in the
// sandbox's own directory (mounted by the monitor just before the runtime starts, unmounted in
// its clean-up), so launching costs the same for any image size and never writes the cache;
// without root, the cached rootfs itself, read-only.
// The bundle code cannot add steps to the driver's plan itself, so it leaves them here, keyed by
// the driver context, and the engine adds them to the plan once the driver returns.
import { chmodSync, chownSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DriverContext, LaunchPlan, ProcessSpec } from '../drivers/driver';
import { EngineError } from '../errors';

export interface RootfsSteps {
  before: ProcessSpec[];
  cleanup: ProcessSpec[];
  extra: Record<string, unknown>;
}

const pending = new WeakMap<object, RootfsSteps>();

export function leaveRootfsSteps(ctx: DriverContext, steps: RootfsSteps): void {
  pending.set(ctx, steps);
}

/** The plan with the image's mount steps: mounted first, unmounted after the runtime's clean-up. */
export function withRootfsSteps(plan: LaunchPlan, ctx: DriverContext): LaunchPlan {
  const steps = pending.get(ctx);
  if (!steps) return plan;
  pending.delete(ctx);
  return {
    ...plan,
    before: [...steps.before, ...(plan.before ?? [])],
    cleanup: [...plan.cleanup, ...steps.cleanup],
    extra: { ...plan.extra, ...steps.extra },
  };
}

export interface OverlayPaths {
  upper: string;
  work: string;
  merged: string;
}

export function overlayPaths(sandboxDir: string): OverlayPaths {
  const base = path.join(sandboxDir, 'overlay');
  return { upper: path.join(base, 'upper'), work: path.join(base, 'work'), merged: path.join(base, 'merged') };
}

/** `mount -t overlay` and `umount` for one sandbox; the directories are made now. */
export function overlaySteps(lower: string, sandboxDir: string): { paths: OverlayPaths; mount: ProcessSpec; unmount: ProcessSpec } {
  const p = overlayPaths(sandboxDir);
  for (const d of [lower, p.upper, p.work]) {
    // The option string is comma-separated and colons separate lower layers.
    if (/[,:]/.test(d)) throw new EngineError(`cannot mount an overlay over ${d}: the path holds a comma or a colon`, [], 'use a cache and state directory without those characters');
  }
  for (const d of Object.values(p)) mkdirSync(d, { recursive: true, mode: 0o700 });
  // The merged root takes the upper directory's owner and mode: give it the image root's, or a
  // non-root image user could not even look up /bin.
  const st = statSync(lower);
  chownSync(p.upper, st.uid, st.gid);
  chmodSync(p.upper, st.mode & 0o7777);
  return {
    paths: p,
    mount: { command: 'mount', args: ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${p.upper},workdir=${p.work}`, p.merged] },
    unmount: { command: 'umount', args: [p.merged] },
  };
}
