// Picking the host's image out of a multi-platform index, as Docker does: same os and
// architecture, and for arm the variant when the entry names one.
import { EngineError } from '../errors';
import type { Descriptor, Platform } from './media-types';

export function hostPlatform(arch: string = process.arch): Platform {
  const map: Record<string, Platform> = {
    x64: { os: 'linux', architecture: 'amd64' },
    arm64: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
    ia32: { os: 'linux', architecture: '386' },
    ppc64: { os: 'linux', architecture: 'ppc64le' },
    s390x: { os: 'linux', architecture: 's390x' },
    riscv64: { os: 'linux', architecture: 'riscv64' },
  };
  return map[arch] ?? { os: 'linux', architecture: arch };
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/** The entry for `want`; entries without a platform (attestations and the like) never match. */
export function pickPlatform(manifests: Descriptor[], want: Platform = hostPlatform()): Descriptor {
  const candidates = manifests.filter((m) => m.platform && m.platform.os === want.os && m.platform.architecture === want.architecture);
  const exact = candidates.find((m) => !want.variant || !m.platform?.variant || m.platform.variant === want.variant);
  if (exact) return exact;
  const offered = manifests.filter((m) => m.platform).map((m) => formatPlatform(m.platform as Platform));
  throw new EngineError(`the image has no ${formatPlatform(want)} variant (it offers: ${offered.join(', ') || 'none'})`);
}
