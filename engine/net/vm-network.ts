// outbound networking for microVMs and VMs: QEMU user networking (its own NAT, no root needed)
// with `hostfwd` rules for `ports:`. QEMU 7.2 cannot keep the guest away from the host's
// loopback (10.0.2.2 is the host's 127.0.0.1, and restrict=on would cut outbound traffic too),
// so unless the spec says hostLoopback: true, QEMU itself runs inside the private namespace of
// engine/net: its "host" is then that namespace, whose loopback is empty, and pasta carries its
// traffic out and the published ports in.
import type { DriverContext, ProcessSpec } from '../drivers/driver';
import type { PortSpec } from '../spec/types';
import { formatPort } from '../spec/ports';
import { prepareOutbound } from './stack';

export interface VmNetwork {
  /** QEMU hostfwd rules. */
  hostfwd: string[];
  /** Run QEMU inside this namespace (nsenter), with these steps around it. */
  netns?: string;
  before?: ProcessSpec[];
  cleanup?: ProcessSpec[];
  describe: string;
  ports: string[];
}

export function hostfwdRule(p: PortSpec, listen: { address: string; port: number }): string {
  return `${p.protocol}:${listen.address}:${listen.port}-:${p.sandboxPort}`;
}

export function vmNetwork(ctx: DriverContext): VmNetwork | undefined {
  const { spec } = ctx;
  if (spec.network !== 'outbound') return undefined;
  const ports = spec.ports ?? [];
  const shown = ports.map(formatPort);
  if (spec.hostLoopback) {
    return {
      hostfwd: ports.map((p) => hostfwdRule(p, { address: p.hostAddress, port: p.hostPort })),
      describe: 'outbound (QEMU user networking; the host loopback is reachable at 10.0.2.2: hostLoopback)',
      ports: shown,
    };
  }
  // pasta publishes each host port on the same port number in the namespace; QEMU listens there.
  const net = prepareOutbound(ctx, ports.map((p) => ({ ...p, sandboxPort: p.hostPort })))!;
  return {
    hostfwd: ports.map((p) => hostfwdRule(p, { address: '', port: p.hostPort })),
    netns: net.netns,
    before: net.before,
    cleanup: net.cleanup,
    describe: 'outbound (QEMU user networking inside a private network namespace, carried out by pasta; host loopback not reachable)',
    ports: shown,
  };
}
