// The doctor report as Markdown: a table of levels, then the fix for each missing one. Pure.
import type { DoctorReport } from '../../engine/api';

export function renderDoctor(r: DoctorReport): string {
  const lines = ['# Isolation Spectrum: host capabilities', '', '| level | runtime | available | note |', '|---|---|---|---|'];
  for (const l of r.levels) {
    const note = (l.support.reason ?? '').replace(/\|/g, '\\|');
    lines.push(`| ${l.isolation} | ${l.runtime}${l.version ? ` ${l.version}` : ''} | ${l.support.ok ? 'yes' : '**no**'} | ${note} |`);
  }
  // A level is missing only when none of its runtimes works; other failing runtimes are optional.
  const levelOk = (isolation: string) => r.levels.some((l) => l.isolation === isolation && l.support.ok);
  const fixes = (title: string, list: typeof r.levels) => {
    if (!list.length) return;
    lines.push('', title, '');
    for (const l of list) lines.push(`### ${l.isolation} (${l.runtime})`, '', l.support.reason ?? '', '', '```sh', l.support.fix ?? '', '```', '');
  };
  const failing = r.levels.filter((l) => !l.support.ok && l.support.fix);
  fixes('## How to enable the missing levels', failing.filter((l) => !levelOk(l.isolation)));
  fixes('## Optional runtimes', failing.filter((l) => levelOk(l.isolation)));
  if (r.checks?.length) {
    lines.push('', '## Checks', '');
    for (const c of r.checks) lines.push(`- ${c.ok ? '✓' : '✗'} **${c.name}**: ${c.detail}${c.fix ? ` — fix: \`${c.fix}\`` : ''}`);
  }
  return lines.join('\n') + '\n';
}
