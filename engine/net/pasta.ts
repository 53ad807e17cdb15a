// outbound networking for containers and gVisor: a network namespace bound to a file in the
// sandbox's runtime directory, with pasta (package passt) attached to it as its user-mode stack.
// The sandbox's runtime joins that namespace; pasta opens the sandbox's connections as ordinary
// sockets of the host, and publishes `ports:` by listening on the host for them.
//
// Lifetime: pasta quits by itself when the namespace file is deleted, and cleanup kills it by its
// pid file too, so tear-down (by the monitor, or by `ps`/`down` after a monitor crash) leaves no
// helper, namespace or listening port.
import path from 'node:path';
import type { ProcessSpec } from '../drivers/driver';
import type { PortSpec } from '../spec/types';
import { formatPort } from '../spec/ports';

/** The addresses the sandbox sees (the ones slirp4netns and QEMU use, so every level looks alike). */
export const SANDBOX_ADDRESS = '10.0.2.100';
export const GATEWAY_ADDRESS = '10.0.2.2';
export const PREFIX_LENGTH = 24;
export const SANDBOX_INTERFACE = 'eth0';

export interface OutboundOptions {
  runDir: string;
  pasta: string;
  ports: PortSpec[];
  hostLoopback: boolean;
}

export interface OutboundNetwork {
  /** The namespace file the runtime joins (it must exist, empty, before `before` runs). */
  netns: string;
  pidFile: string;
  /** Run in order before the runtime: create the namespace, start pasta on it. */
  before: ProcessSpec[];
  /** Run after the runtime ended (after its own cleanup). */
  cleanup: ProcessSpec[];
  /** For inspect: what the sandbox can reach, and the published ports. */
  describe: string;
  ports: string[];
}

/** pasta's options for one port: `ADDRESS/HOSTPORT:PORT`. */
export function pastaPortSpec(p: PortSpec): string {
  return `${p.hostAddress}/${p.hostPort}:${p.sandboxPort}`;
}

export function pastaArgs(o: { netns: string; pidFile: string; ports: PortSpec[]; hostLoopback: boolean }): string[] {
  const tcp = o.ports.filter((p) => p.protocol === 'tcp').map(pastaPortSpec);
  const udp = o.ports.filter((p) => p.protocol === 'udp').map(pastaPortSpec);
  const list = (flag: string, specs: string[]) => (specs.length ? specs.flatMap((s) => [flag, s]) : [flag, 'none']);
  return [
    '--quiet',
    // As root, pasta switches to `nobody` and then cannot enter a namespace root created.
    '--runas', '0',
    '--netns', o.netns,
    '--config-net',
    '--pid', o.pidFile,
    '--ns-ifname', SANDBOX_INTERFACE,
    // IPv4 only: one address family to keep the host-loopback rule tight.
    '--ipv4-only',
    '--address', SANDBOX_ADDRESS,
    '--netmask', String(PREFIX_LENGTH),
    '--gateway', GATEWAY_ADDRESS,
    // pasta's default is 'auto' in every direction: it would publish whatever the sandbox binds,
    // on every host address, and let the sandbox's loopback reach the host's. Only what the spec
    // names is forwarded.
    ...list('--tcp-ports', tcp),
    ...list('--udp-ports', udp),
    '--tcp-ns', 'none',
    '--udp-ns', 'none',
    // Without this, connections to the gateway reach the host's own 127.0.0.1 services.
    ...(o.hostLoopback ? [] : ['--no-map-gw']),
  ];
}

export function outboundNetwork(o: OutboundOptions): OutboundNetwork {
  const netns = path.join(o.runDir, 'netns');
  const pidFile = path.join(o.runDir, 'pasta.pid');
  return {
    netns,
    pidFile,
    before: [
      // A persistent namespace (bound to the file) that nothing runs in yet.
      { command: 'unshare', args: [`--net=${netns}`, 'true'] },
      // pasta configures the namespace's interface, then goes to the background.
      { command: o.pasta, args: pastaArgs({ netns, pidFile, ports: o.ports, hostLoopback: o.hostLoopback }) },
    ],
    cleanup: [
      // The pattern keeps a stale pid file from ever naming another program.
      { command: 'pkill', args: ['--pidfile', pidFile, '^pas(ta|st)'] },
      // Lazy: a process still inside cannot keep the file; the engine then removes it.
      { command: 'umount', args: ['--lazy', netns] },
    ],
    describe: `outbound through pasta (own network namespace, ${SANDBOX_ADDRESS}/${PREFIX_LENGTH}, gateway ${GATEWAY_ADDRESS}; host loopback ${o.hostLoopback ? 'reachable at the gateway' : 'not reachable'})`,
    ports: o.ports.map(formatPort),
  };
}
