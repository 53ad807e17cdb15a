// spectrum run: launch, stream output, wait, tear down; exits with the sandbox's own code.
import { EngineError } from '../../errors';
import { parseDuration } from '../args';
import { need, out, str, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const e = await cli.engine();
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
};
