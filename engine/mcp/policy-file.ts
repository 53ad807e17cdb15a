// Reads the agent policy from disk on every create, so the user's edits apply at once; a file
// that does not parse refuses every create (fail closed) rather than falling back to defaults.
import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY, parsePolicy, policyErrors, type AgentPolicy } from './policy';

export interface LoadedPolicy {
  policy: AgentPolicy;
  /** Set when the file exists but is invalid. */
  error?: string;
  /** False when the defaults apply because there is no file. */
  fromFile: boolean;
}

export function loadPolicyFile(file: string): LoadedPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { policy: { ...DEFAULT_POLICY }, fromFile: false };
    return { policy: { ...DEFAULT_POLICY }, fromFile: true, error: `the agent policy ${file} can't be read: ${(err as Error).message}` };
  }
  const parsed = parsePolicy(text);
  return { policy: parsed.policy, fromFile: true, error: policyErrors(parsed, file) };
}
