// spectrum pause: freeze every process of running sandboxes in place (container, gvisor).
import { eachSandbox, type VerbRun } from '../verb';

export const run: VerbRun = (a, cli) => eachSandbox(a, cli, (e, x) => e.pause(x));
