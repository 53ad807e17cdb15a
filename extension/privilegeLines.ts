// Reading a privilege refusal from the engine (engine/oci/privileges.ts PrivilegeError) without
// relying on `instanceof` across bundles: by its name and its list of lines.

/** The privilege lines of an engine refusal, if it is one. */
export function privilegesOf(e: unknown): string[] | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { name, privileges } = e as { name?: unknown; privileges?: unknown };
  return name === 'PrivilegeError' && Array.isArray(privileges) && privileges.every((x) => typeof x === 'string') ? (privileges as string[]) : undefined;
}
