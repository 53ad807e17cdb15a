// `ports:` entries: `HOSTPORT:PORT`, `ADDRESS:HOSTPORT:PORT`, each with an optional `/tcp` or
// `/udp`. The host side defaults to 127.0.0.1 so nothing is published beyond this machine unless
// the spec names a wider address. Pure: used by the model, the rules and the drivers.
import type { PortSpec } from './types';

export const DEFAULT_HOST_ADDRESS = '127.0.0.1';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
/** The schema's pattern; the ranges of the numbers are checked by parsePort. */
export const PORT_PATTERN = `^(${OCTET}(\\.${OCTET}){3}:)?[0-9]{1,5}:[0-9]{1,5}(/(tcp|udp))?$`;
const PORT_RE = new RegExp(PORT_PATTERN);

/** The entry as a PortSpec, or a sentence saying what is wrong with it. */
export function parsePort(entry: string): PortSpec | string {
  if (!PORT_RE.test(entry)) return `"${entry}" is not HOSTPORT:PORT or ADDRESS:HOSTPORT:PORT, with an optional /tcp or /udp (e.g. 8080:80, 127.0.0.1:5353:53/udp).`;
  const [main, proto] = entry.split('/');
  const parts = main.split(':');
  const hostAddress = parts.length === 3 ? parts[0] : DEFAULT_HOST_ADDRESS;
  const hostPort = Number(parts[parts.length - 2]);
  const sandboxPort = Number(parts[parts.length - 1]);
  for (const [what, n] of [['host port', hostPort], ['sandbox port', sandboxPort]] as const) {
    if (n < 1 || n > 65535) return `The ${what} ${n} is outside 1-65535.`;
  }
  return { hostAddress, hostPort, sandboxPort, protocol: proto === 'udp' ? 'udp' : 'tcp' };
}

/** The parsed entries (invalid ones left out: the rules report them). */
export function parsePorts(entries: unknown): PortSpec[] {
  if (!Array.isArray(entries)) return [];
  return entries.map((e) => (typeof e === 'string' ? parsePort(e) : 'not a string')).filter((p): p is PortSpec => typeof p !== 'string');
}

/** Binds every address of the host, so other machines can reach the port. */
export function isWildcard(address: string): boolean {
  return address === '0.0.0.0';
}

export function formatPort(p: PortSpec): string {
  return `${p.hostAddress}:${p.hostPort}->${p.sandboxPort}/${p.protocol}`;
}
