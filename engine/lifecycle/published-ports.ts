// What inspect says about each published port: where it listens on the host, where it lands in
// the sandbox, and for TCP a URL to open (a wildcard bind is opened through this machine's own
// loopback, the one address it surely answers on). Pure.
import type { PortSpec } from '../spec/types';
import { isWildcard } from '../spec/ports';

export interface PublishedPort {
  hostAddress: string;
  hostPort: number;
  sandboxPort: number;
  protocol: 'tcp' | 'udp';
  /** TCP only: UDP has no URL a browser could open. */
  url?: string;
}

export function publishedPort(p: PortSpec): PublishedPort {
  const host = isWildcard(p.hostAddress) ? '127.0.0.1' : p.hostAddress;
  return { ...p, ...(p.protocol === 'tcp' ? { url: `http://${host}:${p.hostPort}/` } : {}) };
}
