// network: outbound for a user's own OCI bundle: the bundle runs as judged, except that its
// network namespace becomes the one engine/net prepared (pasta attached). A bundle asking for the
// host's network (no network namespace) gets the private one too: the spec asked for outbound,
// and widening to the host's network needs `network: host` said in the spec.
interface Namespaced {
  linux?: { namespaces?: Array<{ type: string; path?: string }> } & Record<string, unknown>;
}

export function withNetns<T extends Namespaced>(config: T, netns: string): T {
  const namespaces = (config.linux?.namespaces ?? []).filter((n) => n.type !== 'network');
  return { ...config, linux: { ...config.linux, namespaces: [...namespaces, { type: 'network', path: netns }] } };
}
