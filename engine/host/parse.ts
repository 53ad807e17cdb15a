// Parsers for what collectors read (pure: unit-tested on recorded text).
import type { HostSnapshot } from './snapshot';

export function parseVersion(name: string, text: string): string | undefined {
  const first = text.split('\n').find((l) => l.trim()) ?? '';
  if (name === 'busybox') return /BusyBox v([\w.~+-]+)/.exec(text)?.[1];
  if (name === 'workerd') return /workerd\s+(\S+)/.exec(text)?.[1] ?? first.trim();
  if (name === 'qemu-system-x86_64') return /version ([\d.]+)/.exec(text)?.[1];
  if (name === 'nvidia-smi') return /DRIVER version\s*:\s*([\d.]+)/i.exec(text)?.[1] ?? /version\s*:?\s*([\d.]+)/i.exec(text)?.[1];
  const m = /version\s+v?([\w.~+-]+)/i.exec(first) ?? /v?(\d+\.\d+[\w.~+-]*)/.exec(first);
  return m?.[1];
}

export function parseCgroupLayout(mounts: string): NonNullable<HostSnapshot['cgroup']> {
  let v1 = false;
  let v2Path: string | undefined;
  for (const line of mounts.split('\n')) {
    const [, target, type] = line.split(' ');
    if (type === 'cgroup2') v2Path ??= target;
    else if (type === 'cgroup') v1 = true;
  }
  if (v1 && v2Path) return { layout: 'hybrid', unifiedPath: v2Path };
  if (v2Path) return { layout: 'v2', unifiedPath: v2Path };
  return { layout: v1 ? 'v1' : 'none' };
}

/** From `runsc flags` / `runsc help`: which platforms it names and whether it has nvproxy. */
export function parseRunscFlags(text: string): NonNullable<HostSnapshot['runsc']> {
  const line = /-platform[^\n]*\n\s*([^\n]*)/.exec(text)?.[1] ?? '';
  const named = /use:\s*([^.]*)/.exec(line.replace(/\([^)]*\)/g, ''))?.[1] ?? '';
  const platforms = named.split(',').map((s) => s.trim()).filter((s) => /^[a-z]+$/.test(s));
  if (!platforms.length) platforms.push('ptrace');
  return { platforms, nvproxy: /-nvproxy\b/.test(text), ociSeccomp: /-oci-seccomp\b/.test(text) };
}

export function parseKvmModules(procModules: string): string[] {
  return procModules
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((m) => /^kvm/.test(m))
    .sort();
}

export function parseNvidiaSmi(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => /^GPU \d+:/.test(l));
}
