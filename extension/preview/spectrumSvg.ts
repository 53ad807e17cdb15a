// The ```spectrum block: the five isolation levels as an SVG ladder, highlighting those listed.
import { conceptKey } from '../../language-server/notes/conceptKey';

interface Rung {
  level: string;
  title: string;
  detail: string;
  names: string[];
}

const RUNGS: Rung[] = [
  { level: 'isolate', title: 'V8 isolate', detail: 'workerd · one process, many isolates · JS/Wasm only', names: ['isolate', 'v8 isolate', 'workerd', 'v8'] },
  { level: 'container', title: 'Container', detail: 'runc · shared kernel, namespaces + cgroups', names: ['container', 'runc', 'docker', 'linux container'] },
  { level: 'gvisor', title: 'gVisor', detail: 'runsc · Sentry user-space kernel intercepts syscalls', names: ['gvisor', 'runsc', 'sentry'] },
  { level: 'microvm', title: 'microVM', detail: 'Firecracker / QEMU microvm · own kernel on KVM, minimal devices', names: ['microvm', 'firecracker', 'micro vm'] },
  { level: 'vm', title: 'Full VM', detail: 'QEMU · full machine, any kernel, PCI passthrough', names: ['vm', 'full vm', 'virtual machine', 'qemu'] },
];

const byName = new Map<string, string>();
for (const r of RUNGS) for (const n of r.names) byName.set(conceptKey(n), r.level);

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Levels named in the block's text (commas, lines or spaces between them); unknown words apart. */
export function parseSpectrumLevels(text: string): { levels: Set<string>; unknown: string[] } {
  const levels = new Set<string>();
  const unknown: string[] = [];
  for (const part of text.split(/[,\n;]+/)) {
    const p = part.trim();
    if (!p) continue;
    const whole = byName.get(conceptKey(p));
    if (whole) {
      levels.add(whole);
      continue;
    }
    for (const w of p.split(/\s+/)) {
      const l = byName.get(conceptKey(w));
      if (l) levels.add(l);
      else unknown.push(w);
    }
  }
  return { levels, unknown };
}

export function renderSpectrumSvg(text: string): string {
  const { levels, unknown } = parseSpectrumLevels(text);
  const rowH = 44;
  const width = 560;
  const top = 28;
  const height = top + RUNGS.length * rowH + 28;
  const rows = RUNGS.map((r, i) => {
    const y = top + i * rowH;
    const on = levels.has(r.level);
    const fill = on ? '#2f7dd1' : 'transparent';
    const fg = on ? '#ffffff' : 'currentColor';
    return [
      `<g class="spectrum-rung${on ? ' highlighted' : ''}" data-level="${r.level}">`,
      `<title>${escapeXml(`${r.title}: ${r.detail}`)}</title>`,
      `<rect x="60" y="${y}" width="${width - 80}" height="${rowH - 8}" rx="6" fill="${fill}" stroke="currentColor" stroke-opacity="0.5"/>`,
      `<text x="74" y="${y + 16}" font-size="14" font-weight="bold" fill="${fg}">${escapeXml(r.title)}</text>`,
      `<text x="74" y="${y + 31}" font-size="11" fill="${fg}" fill-opacity="0.85">${escapeXml(r.detail)}</text>`,
      '</g>',
    ].join('');
  }).join('');
  const axis =
    `<line x1="30" y1="${top}" x2="30" y2="${top + RUNGS.length * rowH - 8}" stroke="currentColor" stroke-width="2"/>` +
    `<text x="8" y="${top - 10}" font-size="11" fill="currentColor">lighter, faster start</text>` +
    `<text x="8" y="${height - 8}" font-size="11" fill="currentColor">stronger isolation, more flexible</text>`;
  const label = `Isolation spectrum${levels.size ? `, highlighting ${[...levels].join(', ')}` : ''}`;
  const svg =
    `<svg class="spectrum-ladder" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(label)}" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${axis}${rows}</svg>`;
  const note = unknown.length ? `<p class="spectrum-unknown"><em>Not a level: ${escapeXml(unknown.join(', '))}</em></p>` : '';
  return `<div class="spectrum-block">${svg}${note}</div>\n`;
}
