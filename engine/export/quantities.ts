// Kubernetes resource quantities from and to the spec's numbers (cpus, bytes).

/** `1`, `0.5` -> `500m`: whole cpus stay plain, fractions become millicores. */
export function cpuQuantity(cpus: number): string {
  return Number.isInteger(cpus) ? String(cpus) : `${Math.round(cpus * 1000)}m`;
}

const BINARY: [string, number][] = [['Gi', 1 << 30], ['Mi', 1 << 20], ['Ki', 1 << 10]];

/** Bytes as the largest binary unit that divides them exactly (the spec's own units). */
export function memoryQuantity(bytes: number): string {
  for (const [unit, size] of BINARY) if (bytes % size === 0) return `${bytes / size}${unit}`;
  return String(bytes);
}

export function parseCpuQuantity(q: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q);
  if (!m) return undefined;
  return m[2] ? Number(m[1]) / 1000 : Number(m[1]);
}

export function parseMemoryQuantity(q: string): number | undefined {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)?$/.exec(q);
  if (!m) return undefined;
  const mult = { Ki: 1 << 10, Mi: 1 << 20, Gi: 1 << 30, Ti: 2 ** 40 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * mult;
}
