// spectrum run: launch, stream output, wait, tear down; exits with the sandbox's own code.
import { interruptSignal, oneSpec, out, timeoutMs, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const e = await cli.engine();
  const spec = await oneSpec(a, e);
  const r = await e.run(spec, {
    unsafe: Boolean(a.flags.unsafe),
    signal: interruptSignal(),
    timeoutMs: timeoutMs(a),
    onOutput: (chunk, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(chunk),
  });
  if (r.output && spec.isolation === 'isolate' && !r.output.endsWith('\n')) out('\n');
  if (r.timedOut) process.stderr.write(`spectrum: ${spec.name} timed out and was torn down\n`);
  return r.exitCode ?? 137;
};
