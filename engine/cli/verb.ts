// What a verb is, and the small helpers every verb shares. Kept free of engine imports: a verb
// that never touches the engine (cache, help) must not pay for loading it.
import type { Engine } from '../api';
import { EngineError } from '../errors';
import type { ParsedArgs } from './args';

export interface CliContext {
  /** The engine, created on first use (loading it costs more than some verbs' whole work). */
  engine(): Promise<Engine>;
}

/** One `spectrum <verb>`: returns the process exit code; EngineErrors exit 125. */
export type VerbRun = (a: ParsedArgs, cli: CliContext) => Promise<number>;

export const out = (s: string): void => void process.stdout.write(s);
export const json = (v: unknown): void => out(JSON.stringify(v, null, 2) + '\n');
export const str = (v: string | true | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

export function need(a: ParsedArgs, what: string): string {
  const v = a.positionals[0];
  if (!v) throw new EngineError(`spectrum ${a.command}: missing ${what}. Run 'spectrum --help'.`);
  return v;
}
