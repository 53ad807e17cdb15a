// Which user-mode network stack a container or gVisor sandbox gets, or why none can be had.
// pasta is used: it publishes ports from its command line and goes to the background once the
// namespace is configured. slirp4netns needs a control socket for each port and stays in the
// foreground, so it is only reported (doctor) as a stack this build does not drive.
import { writeFileSync } from 'node:fs';
import type { DoctorCheck } from '../api';
import type { DriverContext } from '../drivers/driver';
import type { HostSnapshot } from '../host/snapshot';
import { EngineError } from '../errors';
import type { PortSpec } from '../spec/types';
import { outboundNetwork, type OutboundNetwork } from './pasta';

export function networkCheck(host: HostSnapshot): DoctorCheck {
  const pasta = host.binaries.pasta;
  const slirp = host.binaries.slirp4netns;
  if (pasta && host.isRoot) return { name: 'network', ok: true, detail: `network: outbound and ports: use pasta (${pasta.path})${slirp ? '; slirp4netns is installed but not used' : ''}` };
  if (pasta) return { name: 'network', ok: false, detail: 'pasta is installed, but creating a network namespace for a container or gVisor sandbox needs root', fix: 'run as root, or use network: none' };
  return {
    name: 'network',
    ok: false,
    detail: `no pasta: containers and gVisor sandboxes cannot have network: outbound or ports:${slirp ? ' (slirp4netns is installed, but this build drives pasta only)' : ''}`,
    fix: 'apt-get install passt',
  };
}

/**
 * The outbound network of a spec, or undefined for none/host. `ports` overrides the spec's (a VM
 * publishes the same host ports into the namespace, where QEMU forwards them on).
 */
export function prepareOutbound(ctx: DriverContext, ports: PortSpec[] = ctx.spec.ports ?? []): OutboundNetwork | undefined {
  const { spec, host } = ctx;
  if (spec.network !== 'outbound') return undefined;
  const check = networkCheck(host);
  if (!check.ok) throw new EngineError(`${spec.name}: network: outbound is not possible here: ${check.detail}`, [], check.fix);
  const net = outboundNetwork({ runDir: ctx.runDir, pasta: host.binaries.pasta!.path, ports, hostLoopback: spec.hostLoopback === true });
  // unshare binds the namespace onto an existing file.
  writeFileSync(net.netns, '');
  return net;
}
