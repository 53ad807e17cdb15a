// The one table of drivers. To add one: import it and add a line to DRIVERS (order matters
// where several drivers handle the same level: the first supported one that handles a spec wins).
import type { Driver } from './driver';
import type { HostSnapshot } from '../host/snapshot';
import type { SandboxSpec } from '../spec/types';
import { EngineError } from '../errors';
import { workerdDriver } from './workerd';
import { runcDriver } from './runc';
import { runscDriver } from './runsc';
import { firecrackerDriver } from './firecracker';
import { qemuMicrovmDriver } from './qemu-microvm';
import { qemuVmDriver } from './qemu-vm';

export const DRIVERS: Driver[] = [
  workerdDriver,
  runcDriver,
  runscDriver,
  firecrackerDriver, qemuMicrovmDriver, qemuVmDriver, // microvm: Firecracker where usable, else QEMU
];

/** The driver for a spec on this host, or an EngineError saying why none can run it and the fix. */
export function driverFor(spec: SandboxSpec, host: HostSnapshot, drivers: Driver[] = DRIVERS): Driver {
  const candidates = drivers.filter((d) => d.handles(spec, host));
  if (candidates.length === 0) {
    throw new EngineError(`${spec.name}: no driver for isolation '${spec.isolation}' in this build`);
  }
  for (const d of candidates) if (d.isSupported(host).ok) return d;
  const s = candidates[0].isSupported(host);
  const configured = (host.configuredUnusable as Record<string, string> | undefined)?.[candidates[0].runtime];
  if (configured) {
    const name = candidates[0].runtime;
    throw new EngineError(`${spec.name}: ${name} cannot run here: the configured ${name} (${configured}) is not an executable file given by its absolute path`, [], `point it (the isolationSpectrum.runtimePaths.${name} setting) at the ${name} binary, or unset it to use the one on PATH`);
  }
  throw new EngineError(`${spec.name}: ${candidates[0].runtime} cannot run here: ${s.reason ?? 'not supported'}`, [], s.fix);
}
