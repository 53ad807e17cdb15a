// What a verb is, and the small helpers every verb shares. Kept free of engine imports: a verb
// that never touches the engine (cache, help) must not pay for loading it.
import type { Engine, SandboxInfo, SandboxSpec } from '../api';
import { EngineError } from '../errors';
import { parseDuration, type ParsedArgs } from './args';

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

/** The one sandbox of the spec file given (its only one, or the one --name picks). */
export async function oneSpec(a: ParsedArgs, e: Engine): Promise<SandboxSpec> {
  const specs = await e.specs(need(a, 'a spec file'), { name: str(a.flags.name) });
  if (specs.length > 1) throw new EngineError(`the file holds ${specs.length} sandboxes (${specs.map((s) => s.name).join(', ')}): pick one with --name`);
  return specs[0];
}

/** Aborted by Ctrl+C or SIGTERM, so what the verb started is torn down rather than left running. */
export function interruptSignal(): AbortSignal {
  const ctl = new AbortController();
  const onSignal = () => ctl.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return ctl.signal;
}

/** `--timeout 30s` in milliseconds, when given. */
export function timeoutMs(a: ParsedArgs): number | undefined {
  const timeout = str(a.flags.timeout);
  return timeout ? parseDuration(timeout) : undefined;
}

/** Applies `act` to every id or name given, in order, then prints `id<TAB>state` each (or --json). */
export async function eachSandbox(a: ParsedArgs, cli: CliContext, act: (e: Engine, idOrName: string) => Promise<SandboxInfo>): Promise<number> {
  if (!a.positionals.length) throw new EngineError(`spectrum ${a.command}: give ids or names`);
  const e = await cli.engine();
  const infos: SandboxInfo[] = [];
  for (const x of a.positionals) infos.push(await act(e, x));
  if (a.flags.json) json(infos);
  else for (const i of infos) out(`${i.id}\t${i.state}\n`);
  return 0;
}
