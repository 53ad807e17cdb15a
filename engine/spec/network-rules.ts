// The semantic rules of `network:` and `ports:` (what the schema cannot say): the host's network
// shared, ports that bind every address, ports with no network to reach them, ports published
// twice, and hostLoopback where it has no effect.
import type { LineIndex } from './lines';
import { prop, type TreeNode } from './tree';
import type { Isolation, SpecDiagnostic } from './types';
import { isWildcard, parsePort, PORT_PATTERN } from './ports';

const PORT_RE = new RegExp(PORT_PATTERN);

/** The network mode node: the plain value, or `mode` of the object form. */
function modeNode(network: TreeNode | undefined): TreeNode | undefined {
  if (!network) return undefined;
  if (network.kind === 'object') return prop(network, 'mode')?.value;
  return network;
}

export function checkNetworkRules(root: TreeNode, level: Isolation, lines: LineIndex): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  const r = (n: { start: number; end: number }) => lines.range(n.start, n.end);
  const network = prop(root, 'network')?.value;
  const mode = modeNode(network);
  const modeValue = typeof mode?.value === 'string' ? mode.value : 'none';
  if (mode && modeValue === 'host') {
    out.push({ range: r(mode), severity: 'warning', code: 'network-host', message: 'network: host shares the host network stack: the sandbox has no network isolation.', fixes: [{ title: 'Use network: none', edits: [{ range: r(mode), newText: 'none' }] }, { title: 'Use network: outbound', edits: [{ range: r(mode), newText: 'outbound' }] }] });
  }
  const loopback = network?.kind === 'object' ? prop(network, 'hostLoopback') : undefined;
  if (loopback && loopback.value.value === true && modeValue !== 'outbound') {
    out.push({ range: lines.range(loopback.keyStart, loopback.keyEnd), severity: 'warning', code: 'host-loopback-unused', message: `hostLoopback only applies to network mode outbound; with ${modeValue} it has no effect.` });
  }

  const ports = prop(root, 'ports');
  const items = ports?.value.kind === 'array' ? (ports.value.items ?? []) : [];
  if (!ports || !items.length) return out;
  if (level !== 'isolate' && modeValue !== 'outbound') {
    const fixes = mode && modeValue === 'none' ? [{ title: 'Use network: outbound', edits: [{ range: r(mode), newText: 'outbound' }] }] : [];
    const why = modeValue === 'host' ? 'with network: host the sandbox binds host ports itself, so there is nothing to publish' : 'with network: none the sandbox has no network to publish from';
    out.push({ range: lines.range(ports.keyStart, ports.keyEnd), severity: 'error', code: 'ports-need-network', message: `Published ports need network: outbound; ${why}.`, fixes });
  }
  const seen = new Set<string>();
  for (const item of items) {
    if (item.kind !== 'string' || typeof item.value !== 'string' || !PORT_RE.test(item.value)) continue; // the schema reports these
    const p = parsePort(item.value);
    if (typeof p === 'string') {
      out.push({ range: r(item), severity: 'error', code: 'bad-port', message: p });
      continue;
    }
    const key = `${p.hostAddress}:${p.hostPort}/${p.protocol}`;
    if (seen.has(key)) out.push({ range: r(item), severity: 'error', code: 'duplicate-port', message: `Host port ${key} is published twice.` });
    seen.add(key);
    if (isWildcard(p.hostAddress)) {
      const local = item.value.replace(/^0\.0\.0\.0:/, '127.0.0.1:');
      // Only the address is replaced, so the entry keeps its quoting.
      const at = item.start + (item.end - item.start > item.value.length ? 1 : 0);
      out.push({
        range: r(item),
        severity: 'warning',
        code: 'port-all-addresses',
        message: `${item.value} publishes port ${p.hostPort} on every address of the host: other machines can reach the sandbox.`,
        fixes: [{ title: `Publish on 127.0.0.1 only (${local})`, edits: [{ range: lines.range(at, at + '0.0.0.0'.length), newText: '127.0.0.1' }] }],
      });
    }
  }
  return out;
}
