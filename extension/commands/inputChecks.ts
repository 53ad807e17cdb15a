// Validation of what users type into the input boxes of the warm-path and copy commands. Pure,
// unit-tested (returns the message VS Code shows, or undefined when the input is fine).

export const MAX_FORKS = 16;

/** Validates the Fork... input: a whole number of copies, 1 to MAX_FORKS. Pure. */
export function checkForkCount(v: string): string | undefined {
  const t = v.trim();
  if (!/^\d+$/.test(t)) return 'A whole number of copies';
  const n = Number(t);
  if (n < 1 || n > MAX_FORKS) return `Between 1 and ${MAX_FORKS} copies`;
  return undefined;
}

/** A sandbox path typed by the user: absolute, no NUL. The engine checks the rest. Pure. */
export function checkSandboxPathInput(v: string): string | undefined {
  if (!v.startsWith('/')) return 'An absolute path inside the sandbox, e.g. /tmp/';
  if (v.includes('\0')) return 'No NUL characters';
  return undefined;
}
