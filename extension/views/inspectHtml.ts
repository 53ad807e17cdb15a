// The inspect panel's HTML for one sandbox: a table of its fields, escaped, no scripts. Pure.
import type { AttackSurface, SandboxInfo } from '../../engine/api';
import { formatUptime } from '../format';
import { sparkline, WINDOW_MS, type Sample } from './sparkline';

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function bytes(n: number | undefined): string {
  if (n === undefined) return '';
  return n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(2)} GiB` : `${(n / (1 << 20)).toFixed(1)} MiB`;
}

/** The attack surface measured from the running sandbox (engine/surface), as a second table. */
export function surfaceSection(a: AttackSurface): string {
  const sc = a.syscalls;
  const rows: [string, string][] = [
    ['verdict', a.verdict],
    ['kernel', `${a.kernel.kind} ${a.kernel.release}${a.kernel.platform ? ` (${a.kernel.platform})` : ''}`],
    ['syscalls reachable', `${sc.reachable} of ${sc.of} (${sc.source})`],
    ...(sc.implemented ? [['Sentry implements', `${sc.implemented.full} fully, ${sc.implemented.partial} partly`] as [string, string]] : []),
    ...(sc.interface ? [['interface', sc.interface.toUpperCase()] as [string, string]] : []),
    ...(sc.host ? [['layer below', `${sc.host.reachable} of ${sc.host.of} host syscalls (${sc.host.source})`] as [string, string]] : []),
    ['devices', a.devices.join(', ') || 'none'],
    ['capabilities', a.capabilities.join(', ') || 'none'],
    ['namespaces', a.namespaces.join(', ') || 'none'],
    ['writable', a.writableMounts.join(', ') || 'none'],
  ];
  return `<h3>Attack surface</h3><table data-section="surface">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td data-surface="${esc(k)}">${esc(v)}</td></tr>`).join('\n')}</table>`;
}

/** CPU and memory over the last minutes, from the samples the panel took while visible. */
export function statsSection(samples: readonly Sample[], now: number): string {
  if (samples.length === 0) return '';
  const last = samples[samples.length - 1];
  // The x axis spans what was sampled (at least a minute, at most WINDOW_MS), so a panel opened
  // a moment ago draws a line across the box rather than a stub at its right edge.
  const windowMs = Math.min(WINDOW_MS, Math.max(60_000, now - samples[0].at));
  const cpu = sparkline(samples.map((p) => ({ at: p.at, value: p.cpuPercent })), { name: 'cpu', now, windowMs, color: 'var(--vscode-charts-blue)', max: Math.max(100, ...samples.map((p) => p.cpuPercent ?? 0)) });
  const mem = sparkline(samples.map((p) => ({ at: p.at, value: p.memoryBytes })), { name: 'memory', now, windowMs, color: 'var(--vscode-charts-purple)' });
  const peak = Math.max(0, ...samples.map((p) => p.memoryBytes ?? 0));
  const seconds = Math.round(windowMs / 1000);
  const span = seconds >= 120 ? `${Math.round(seconds / 60)} minutes` : `${seconds} s`;
  return `<h3>Live (last ${span}, sampled while this panel is visible)</h3><table data-section="stats">
<tr><th>CPU</th><td>${cpu}</td><td>${esc(last.cpuPercent === undefined ? '' : `${last.cpuPercent.toFixed(1)} %`)}</td></tr>
<tr><th>memory</th><td>${mem}</td><td>${esc(bytes(last.memoryBytes))}${peak ? ` <small>(peak ${esc(bytes(peak))})</small>` : ''}</td></tr></table>`;
}

export function renderInspect(s: SandboxInfo, sampledAt: Date, surface?: AttackSurface, samples: readonly Sample[] = []): string {
  const rows: [string, unknown][] = [
    ['id', s.id],
    ['name', s.name],
    ['level', s.isolation],
    ['runtime', s.runtimeVersion ? `${s.runtime} ${s.runtimeVersion}` : s.runtime],
    ['state', s.state],
    ['uptime', s.state === 'running' && s.startedAt ? formatUptime(Date.now() - Date.parse(s.startedAt)) : ''],
    ['pid', s.pid ?? ''],
    ['exit code', s.exitCode ?? ''],
    ['CPU', s.cpuPercent === undefined ? '' : `${s.cpuPercent.toFixed(1)} %`],
    ['memory', bytes(s.memoryBytes)],
    ['network', s.network],
    ['owner', s.owner],
    ['URL', s.url ?? ''],
    ['root filesystem', s.rootfs ?? ''],
    ['spec', s.specPath ?? ''],
    ['log', s.logPath],
    ['started', s.startedAt ?? ''],
  ];
  for (const [k, v] of Object.entries(s.extra ?? {})) rows.push([k, typeof v === 'object' ? JSON.stringify(v) : v]);
  const body = rows
    .filter(([, v]) => v !== '' && v !== undefined)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td data-field="${esc(k)}">${esc(v)}</td></tr>`)
    .join('\n');
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
table { border-collapse: collapse; } th { text-align: left; padding: 2px 1.5em 2px 0; color: var(--vscode-descriptionForeground); font-weight: normal; }
td { font-family: var(--vscode-editor-font-family); padding: 2px 0; } .sampled { color: var(--vscode-descriptionForeground); font-size: 90%; }
</style></head><body>
<h2 id="title">${esc(s.name)} <small>(${esc(s.isolation)})</small></h2>
${statsSection(samples, sampledAt.getTime())}
<table>${body}</table>
${surface ? surfaceSection(surface) : ''}
<p class="sampled">sampled ${esc(sampledAt.toLocaleTimeString())}</p>
</body></html>`;
}
