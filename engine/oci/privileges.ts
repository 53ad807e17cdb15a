// Judges an OCI bundle given as is: what it asks for beyond a plain container. `up` refuses a
// bundle with any of these unless the user passed --unsafe (the extension asks first).

// Docker's default capability set: what an ordinary container may hold.
const ORDINARY_CAPS = new Set([
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL',
  'CAP_AUDIT_WRITE',
]);
const REQUIRED_NAMESPACES = ['pid', 'network', 'ipc', 'uts', 'mount'];

interface BundleConfig {
  process?: { capabilities?: Record<string, string[] | undefined> };
  mounts?: Array<{ destination?: string; type?: string; source?: string; options?: string[] }>;
  linux?: {
    namespaces?: Array<{ type?: string; path?: string }>;
    resources?: { devices?: Array<{ allow?: boolean; type?: string; major?: number }> };
  };
}

/** One line per privilege the bundle asks for; empty when it asks for none. */
export function bundlePrivileges(config: unknown): string[] {
  const c = (config ?? {}) as BundleConfig;
  const found: string[] = [];
  const caps = new Set<string>();
  for (const set of Object.values(c.process?.capabilities ?? {})) for (const cap of set ?? []) caps.add(cap);
  const extra = [...caps].filter((cap) => !ORDINARY_CAPS.has(cap)).sort();
  if (extra.length) found.push(`extra capabilities: ${extra.join(', ')}`);
  const ns = c.linux?.namespaces ?? [];
  for (const type of REQUIRED_NAMESPACES) {
    const entry = ns.find((n) => n.type === type);
    if (!entry) found.push(`shares the host's ${type} namespace`);
    else if (entry.path) found.push(`joins an existing ${type} namespace (${entry.path})`);
  }
  for (const m of c.mounts ?? []) {
    const isBind = m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind');
    if (isBind && !(m.options ?? []).includes('ro')) found.push(`writable host mount ${m.source ?? '?'} -> ${m.destination ?? '?'}`);
  }
  if ((c.linux?.resources?.devices ?? []).some((d) => d.allow && d.type === undefined && d.major === undefined)) {
    found.push('access to every host device');
  }
  return found;
}
