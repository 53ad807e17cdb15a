// Human-readable output for the CLI (`--json` prints the API objects instead).
import type { DoctorReport, SandboxInfo } from '../api';

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n') + '\n';
}

export function formatUptime(ms?: number): string {
  if (ms === undefined) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60}s`;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
}

export function formatPs(list: SandboxInfo[]): string {
  if (!list.length) return 'no sandboxes\n';
  const rows = [['ID', 'NAME', 'ISOLATION', 'RUNTIME', 'STATE', 'PID', 'UPTIME', 'OWNER', 'URL']];
  for (const s of list) {
    // An OOM kill is named outright (inspect's extra.exitReason has every ended sandbox's reason).
    const state = s.extra?.oomKilled ? String(s.extra.exitReason) : s.state === 'exited' ? `exited(${s.exitCode ?? '-'})` : s.state;
    rows.push([s.id, s.name, s.isolation, s.runtime, state, s.pid ? String(s.pid) : '-', formatUptime(s.uptimeMs), s.owner, s.url ?? '']);
  }
  return table(rows);
}

export function formatDoctor(r: DoctorReport): string {
  const rows = [['LEVEL', 'RUNTIME', 'OK', 'VERSION', 'PATH', 'NOTE']];
  for (const l of r.levels) {
    rows.push([l.isolation, l.runtime, l.support.ok ? 'yes' : 'no', l.version ?? '-', l.path ?? '-', l.support.reason ?? '']);
  }
  let out = table(rows);
  for (const l of r.levels) if (!l.support.ok && l.support.fix) out += `  fix ${l.isolation}/${l.runtime}: ${l.support.fix}\n`;
  out += '\n';
  for (const c of r.checks) out += `${c.ok ? 'ok  ' : 'no  '} ${c.name.padEnd(10)} ${c.detail}${c.fix ? `\n      fix: ${c.fix}` : ''}\n`;
  const cache = r.facts.vmCache as { path: string; kernelsBytes: number; artefactsBytes: number } | undefined;
  if (cache) {
    const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
    out += `\ncache      ${cache.path}: kernels ${mib(cache.kernelsBytes)}, artefacts ${mib(cache.artefactsBytes)} (spectrum cache clean)\n`;
  }
  return out;
}
