// `isolationSpectrum.inspect`: the inspect panel of a sandbox.
import type { CommandFactory } from './deps';
import { reportError, resolveSandbox } from './deps';

export const inspect: CommandFactory = (deps) => async (arg?: unknown) => {
  try {
    const s = await resolveSandbox(deps, arg);
    if (s) await deps.inspectPanels.show(s.id);
  } catch (e) {
    await reportError(deps, 'Inspect failed', e);
  }
};
