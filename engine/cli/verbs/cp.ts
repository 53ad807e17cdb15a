// spectrum cp: a file or folder into or out of a running sandbox (streamed as tar through its exec).
import { EngineError } from '../../errors';
import { parseCopyOperands } from '../../cp/operands';
import { out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  if (a.positionals.length !== 2) throw new EngineError('spectrum cp: give a source and a destination, one of them SANDBOX:PATH', [], 'spectrum cp ./site web:/srv   or   spectrum cp web:/var/log/app.log .');
  const plan = parseCopyOperands(a.positionals[0], a.positionals[1]);
  const engine = await cli.engine();
  const r = plan.direction === 'in' ? await engine.copyIn(plan.sandbox, plan.hostPath, plan.sandboxPath) : await engine.copyOut(plan.sandbox, plan.sandboxPath, plan.hostPath);
  for (const s of r.skipped) process.stderr.write(`spectrum cp: skipped ${s}\n`);
  out(`${r.path}\n`);
  return 0;
};
