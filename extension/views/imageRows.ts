// How an image from the store reads in the Images view: short digest, size, age. Pure, unit-tested.
import type { ImageInfo } from '../../engine/api';

/** `sha256:0123456789ab` (12 hex digits, as docker images shows them). */
export function shortDigest(digest: string): string {
  const m = /^([a-z0-9]+):([0-9a-f]+)$/.exec(digest);
  return m ? `${m[1]}:${m[2].slice(0, 12)}` : digest;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** `5 minutes ago`, `3 days ago`: coarse, like an image list. */
export function formatAge(iso: string | undefined, now: Date): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, Math.floor((now.getTime() - t) / 1000));
  const steps: [number, string][] = [[86_400 * 365, 'year'], [86_400 * 30, 'month'], [86_400, 'day'], [3600, 'hour'], [60, 'minute']];
  for (const [size, unit] of steps) {
    if (s >= size) {
      const n = Math.floor(s / size);
      return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
    }
  }
  return 'just now';
}

/** The row's description: digest · size · age (of the image itself when known, else of the pull). */
export function imageDescription(i: ImageInfo, now: Date): string {
  return [shortDigest(i.digest), formatBytes(i.size), formatAge(i.created ?? i.pulledAt, now)].filter(Boolean).join(' · ');
}

/** The label: the name people type, with the tag. */
export function imageLabel(i: ImageInfo): string {
  return i.shortName || i.name;
}

export function imageTooltip(i: ImageInfo, now: Date): string {
  return [
    `**${i.name}**`,
    `digest: ${i.digest}`,
    `size: ${formatBytes(i.size)} (${i.size} bytes)`,
    `platform: ${i.platform}`,
    i.created ? `created: ${i.created} (${formatAge(i.created, now)})` : '',
    `pulled: ${i.pulledAt} (${formatAge(i.pulledAt, now)})`,
    i.usedBy.length ? `used by: ${i.usedBy.join(', ')}` : 'used by no sandbox',
  ]
    .filter(Boolean)
    .join('  \n');
}
