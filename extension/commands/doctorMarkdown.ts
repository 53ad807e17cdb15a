// The doctor report as Markdown: a table of levels, then the fix for each missing one. Pure.
import type { DoctorReport } from '../../engine/api';

export function renderDoctor(r: DoctorReport): string {
  const lines = ['# Isolation Spectrum: host capabilities', '', '| level | runtime | available | note |', '|---|---|---|---|'];
  for (const l of r.levels) {
    const note = (l.support.reason ?? '').replace(/\|/g, '\\|');
    lines.push(`| ${l.isolation} | ${l.runtime}${l.version ? ` ${l.version}` : ''} | ${l.support.ok ? 'yes' : '**no**'} | ${note} |`);
  }
  const missing = r.levels.filter((l) => !l.support.ok && l.support.fix);
  if (missing.length) {
    lines.push('', '## How to enable the missing levels', '');
    for (const l of missing) lines.push(`### ${l.isolation} (${l.runtime})`, '', l.support.reason ?? '', '', '```sh', l.support.fix ?? '', '```', '');
  }
  if (r.checks?.length) {
    lines.push('', '## Checks', '');
    for (const c of r.checks) lines.push(`- ${c.ok ? '✓' : '✗'} **${c.name}**: ${c.detail}${c.fix ? ` — fix: \`${c.fix}\`` : ''}`);
  }
  return lines.join('\n') + '\n';
}
