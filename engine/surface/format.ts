// The attack surface as text for `spectrum inspect ID --surface` (`--json` prints the object).
import type { AttackSurface } from './types';

const list = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');

export function formatSurface(s: AttackSurface): string {
  const sc = s.syscalls;
  const lines = [
    `${s.id} (${s.isolation}, ${s.runtime})`,
    `  verdict       ${s.verdict}`,
    `  kernel        ${s.kernel.kind} ${s.kernel.release}${s.kernel.platform ? ` (platform ${s.kernel.platform})` : ''}  [${s.kernel.source}]`,
    `  syscalls      ${sc.reachable} of ${sc.of} host syscalls reachable directly  [${sc.source}]`,
  ];
  if (sc.conditional?.length) lines.push(`                conditional: ${sc.conditional.join(', ')}`);
  if (sc.implemented) lines.push(`  sentry        implements ${sc.implemented.full} fully, ${sc.implemented.partial} partly, of ${sc.implemented.of}  [${sc.implemented.source}]`);
  if (sc.interface) lines.push(`  interface     ${sc.interface === 'kvm' ? 'KVM (VM exits to the host kernel, then the VMM)' : 'TCG (guest code translated by the VMM in user space)'}`);
  if (sc.host) lines.push(`  layer below   ${sc.host.reachable} of ${sc.host.of} host syscalls  [${sc.host.source}]`);
  lines.push(
    `  devices       ${list(s.devices)}`,
    `  capabilities  ${list(s.capabilities)}`,
    `  namespaces    ${list(s.namespaces)}`,
    `  writable      ${list(s.writableMounts)}`,
  );
  if (s.measured) lines.push(`  measured on   pid ${s.measured.pid}: ${s.measured.what}`);
  for (const n of s.notes ?? []) lines.push(`  note          ${n}`);
  return lines.join('\n') + '\n';
}
