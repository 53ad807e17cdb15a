// `spectrum` CLI entry: a thin front over the engine API. Engine errors exit 125 (with the fix,
// and file:line:col for spec problems); `run` exits with the sandbox's own code.
import { version } from '../../package.json';
import { createEngine, EngineError, type Engine } from '../api';
import { parseArgs, parseDuration, type ParsedArgs } from './args';
import { formatDoctor, formatPs } from './format';
import { cleanVmCache, vmCacheReport } from '../vm/cache';

const HELP = `spectrum ${version}: launch and manage sandboxes across the isolation spectrum

Usage: spectrum <command> [options]

Commands:
  up <file|bundle-dir> [--name N] [--unsafe] [--json]   launch every sandbox in the file (or the named one);
                       [--isolation container|gvisor]  a bundle directory runs under runc (default) or runsc
  run <file> [--name N] [--timeout 30s] [--unsafe]      launch, stream output, wait, tear down; exits with its code
  ps [--json]                                          list sandboxes (reconciled with reality)
  inspect <id|name>                                    details as JSON (memory, CPU, pid, URL...)
  logs <id|name> [-f]                                  captured output; -f follows
  exec <id|name> [-t|--tty] -- <cmd...>                run a command inside a running sandbox; -t gives it
                                                       this terminal (for shells)
  down <id|name>... | --all                            tear down and forget
  doctor [--json]                                      what this host can run, and how to fix the rest
  cache [clean [--kernels]] [--json]                   VM boot artefact cache: location and size; clean it
  --version, --help

Exit codes: the sandbox's own code for run/exec; 125 for engine errors (bad spec, missing runtime).
`;

const out = (s: string) => process.stdout.write(s);
const json = (v: unknown) => out(JSON.stringify(v, null, 2) + '\n');

function need(a: ParsedArgs, what: string): string {
  const v = a.positionals[0];
  if (!v) throw new EngineError(`spectrum ${a.command}: missing ${what}. Run 'spectrum --help'.`);
  return v;
}

const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);

async function dispatch(e: Engine, a: ParsedArgs): Promise<number> {
  const asJson = Boolean(a.flags.json);
  switch (a.command) {
    case 'up': {
      const iso = str(a.flags.isolation);
      if (iso && iso !== 'container' && iso !== 'gvisor') throw new EngineError(`--isolation for a bundle is container or gvisor, not '${iso}'`);
      const list = await e.up(need(a, 'a spec file or bundle directory'), { name: str(a.flags.name), unsafe: Boolean(a.flags.unsafe), owner: str(a.flags.owner), bundleIsolation: iso as 'container' | 'gvisor' | undefined });
      if (asJson) json(list);
      else for (const s of list) out(`${s.id}\t${s.isolation}\t${s.state}${s.url ? `\t${s.url}` : ''}\n`);
      return 0;
    }
    case 'run': {
      const specs = await e.specs(need(a, 'a spec file'), { name: str(a.flags.name) });
      if (specs.length > 1) throw new EngineError(`the file holds ${specs.length} sandboxes (${specs.map((s) => s.name).join(', ')}): pick one with --name`);
      const ctl = new AbortController();
      const onSignal = () => ctl.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const timeout = str(a.flags.timeout);
      const r = await e.run(specs[0], {
        unsafe: Boolean(a.flags.unsafe),
        signal: ctl.signal,
        timeoutMs: timeout ? parseDuration(timeout) : undefined,
        onOutput: (chunk, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(chunk),
      });
      if (r.output && specs[0].isolation === 'isolate' && !r.output.endsWith('\n')) out('\n');
      if (r.timedOut) process.stderr.write(`spectrum: ${specs[0].name} timed out and was torn down\n`);
      return r.exitCode ?? 137;
    }
    case 'ps': {
      const list = await e.ps();
      if (asJson) json(list);
      else out(formatPs(list));
      return 0;
    }
    case 'inspect':
      json(await e.inspect(need(a, 'an id or name')));
      return 0;
    case 'logs': {
      const ctl = new AbortController();
      process.once('SIGINT', () => ctl.abort());
      await e.logs(need(a, 'an id or name'), { follow: Boolean(a.flags.follow), signal: ctl.signal, onChunk: (c) => out(c) });
      return 0;
    }
    case 'exec': {
      if (!a.rest.length) throw new EngineError('spectrum exec: give the command after --, e.g. spectrum exec web -- ls /');
      const tty = Boolean(a.flags.tty);
      if (tty && !process.stdin.isTTY) throw new EngineError('spectrum exec --tty: stdin is not a terminal', [], 'run it in a terminal, or drop -t');
      const r = await e.exec(need(a, 'an id or name'), a.rest, { stdio: 'inherit', tty });
      return r.exitCode;
    }
    case 'down': {
      const ids = a.flags.all ? await e.downAll() : (await Promise.all(a.positionals.map((x) => e.down(x)))).flat();
      if (!a.flags.all && !a.positionals.length) throw new EngineError('spectrum down: give ids or names, or --all');
      if (asJson) json(ids);
      else for (const id of ids) out(`${id}\n`);
      return 0;
    }
    case 'cache': {
      // Derived artefacts (initramfs images, extracted vmlinux) always; guest kernels with --kernels.
      const r = a.positionals[0] === 'clean' ? cleanVmCache({ kernels: Boolean(a.flags.kernels) }) : vmCacheReport();
      if (asJson) json(r);
      else if ('removedBytes' in r) out(`removed ${(r.removedBytes / 1048576).toFixed(1)} MiB: ${r.removed.join(', ') || 'nothing'}\n`);
      else out(`${r.path}\n  kernels ${(r.kernelsBytes / 1048576).toFixed(1)} MiB (${r.kernels.join(', ') || 'none'})\n  artefacts ${(r.artefactsBytes / 1048576).toFixed(1)} MiB\n`);
      return 0;
    }
    case 'doctor': {
      const r = await e.doctor();
      if (asJson) json(r);
      else out(formatDoctor(r));
      return 0;
    }
    default:
      throw new EngineError(`unknown command '${a.command}'. Run 'spectrum --help'.`);
  }
}

async function main(argv: string[]): Promise<number> {
  let a: ParsedArgs;
  try {
    a = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`spectrum: ${(err as Error).message}\n`);
    return 125;
  }
  if (a.flags.version || a.command === 'version') {
    out(`${version}\n`);
    return 0;
  }
  if (a.command === undefined || a.flags.help || a.command === 'help') {
    out(HELP);
    return 0;
  }
  const engine = createEngine({ owner: 'cli' });
  try {
    return await dispatch(engine, a);
  } catch (err) {
    if (err instanceof EngineError) {
      process.stderr.write(`spectrum: ${err.message}\n`);
      if (err.fix) process.stderr.write(`fix: ${err.fix}\n`);
      return 125;
    }
    process.stderr.write(`spectrum: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 125;
  } finally {
    engine.dispose();
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
