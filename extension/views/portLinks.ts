// Published ports as the Sandboxes view shows them: read from inspect's extra.publishedPorts
// (checked, since it comes from files on disk), labelled, and the URL to open for TCP. Pure: no
// vscode import, so it is unit-tested.
import type { SandboxInfo } from '../../engine/api';
import type { PublishedPort } from '../../engine/lifecycle/published-ports';

function isPublishedPort(x: unknown): x is PublishedPort {
  const p = x as Partial<PublishedPort> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.hostAddress === 'string' &&
    Number.isInteger(p.hostPort) &&
    Number.isInteger(p.sandboxPort) &&
    (p.protocol === 'tcp' || p.protocol === 'udp') &&
    (p.url === undefined || (typeof p.url === 'string' && /^https?:\/\//.test(p.url)))
  );
}

/** The sandbox's published ports; none unless it is running (a stopped one listens nowhere). */
export function publishedPortsOf(s: SandboxInfo): PublishedPort[] {
  if (s.state !== 'running') return [];
  const list = s.extra?.publishedPorts;
  return Array.isArray(list) ? list.filter(isPublishedPort) : [];
}

/** e.g. `127.0.0.1:8080 → 80/tcp`. */
export function portLabel(p: PublishedPort): string {
  return `${p.hostAddress}:${p.hostPort} → ${p.sandboxPort}/${p.protocol}`;
}

/** What "Open in Browser" opens for a sandbox: its isolate URL, else its first TCP port's. */
export function browserUrl(s: SandboxInfo): string | undefined {
  return s.url ?? publishedPortsOf(s).find((p) => p.url)?.url;
}

/** The URL of a port item passed to a command (the view hands its node back), if it is one. */
export function portArgUrl(arg: unknown): string | undefined {
  const a = arg as { kind?: unknown; port?: unknown } | null;
  if (typeof a !== 'object' || a === null || a.kind !== 'port' || !isPublishedPort(a.port)) return undefined;
  return a.port.url;
}
