// The inspect panel's HTML for one sandbox: a table of its fields, escaped, no scripts. Pure.
import type { SandboxInfo } from '../../engine/api';
import { formatUptime } from '../format';

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function bytes(n: number | undefined): string {
  if (n === undefined) return '';
  return n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(2)} GiB` : `${(n / (1 << 20)).toFixed(1)} MiB`;
}

export function renderInspect(s: SandboxInfo, sampledAt: Date): string {
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
<table>${body}</table>
<p class="sampled">sampled ${esc(sampledAt.toLocaleTimeString())}</p>
</body></html>`;
}
