// spectrum resume: thaw paused sandboxes.
import { eachSandbox, type VerbRun } from '../verb';

export const run: VerbRun = (a, cli) => eachSandbox(a, cli, (e, x) => e.resume(x));
