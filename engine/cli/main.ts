// `spectrum` CLI entry: a thin front over the engine API. Engine errors exit 125 (with the fix,
// and file:line:col for spec problems); `run` exits with the sandbox's own code. Only argument
// parsing loads up front: each verb loads its own modules (verbs.ts), and the engine only when a
// verb asks for it.
import type { Engine } from '../api';
import { EngineError } from '../errors';
import { parseArgs, type ParsedArgs } from './args';
import { HELP, VERSION } from './help';
import type { CliContext } from './verb';
import { VERBS } from './verbs';
import { discardEarlyMonitor, startEarlyMonitor } from './early-monitor';

/** Verbs that launch: their monitor starts before anything else loads, and starts up alongside. */
const LAUNCHING = new Set(['run', 'up']);

async function main(argv: string[]): Promise<number> {
  let a: ParsedArgs;
  try {
    a = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`spectrum: ${(err as Error).message}\n`);
    return 125;
  }
  if (a.flags.version || a.command === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (a.command === undefined || a.flags.help || a.command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (LAUNCHING.has(a.command)) startEarlyMonitor(a.positionals[0]);
  let engine: Engine | undefined;
  const cli: CliContext = {
    async engine() {
      if (!engine) {
        const { createEngine } = await import('../engine');
        engine = createEngine({ owner: 'cli' });
      }
      return engine;
    },
  };
  try {
    const load = Object.hasOwn(VERBS, a.command) ? VERBS[a.command] : undefined;
    if (!load) throw new EngineError(`unknown command '${a.command}'. Run 'spectrum --help'.`);
    return await (await load()).run(a, cli);
  } catch (err) {
    if (err instanceof EngineError) {
      process.stderr.write(`spectrum: ${err.message}\n`);
      if (err.fix) process.stderr.write(`fix: ${err.fix}\n`);
      return 125;
    }
    process.stderr.write(`spectrum: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 125;
  } finally {
    discardEarlyMonitor();
    engine?.dispose();
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
