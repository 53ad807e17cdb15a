// Which registries may be reached over plain HTTP: loopback addresses always (a registry on this
// machine), others only when the user lists them (`$SPECTRUM_INSECURE_REGISTRIES`, comma
// separated, or the setting the extension passes in). Everything else is HTTPS.
export function isLoopbackHost(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(1, registry.indexOf(']')) : registry.replace(/:\d+$/, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export function insecureRegistries(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.SPECTRUM_INSECURE_REGISTRIES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export function schemeFor(registry: string, insecure: string[] = insecureRegistries()): 'http' | 'https' {
  return isLoopbackHost(registry) || insecure.includes(registry) ? 'http' : 'https';
}
