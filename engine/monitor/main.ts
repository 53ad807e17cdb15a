// Sandbox monitor process entry (bundled to dist/monitor.js). The engine starts it with an IPC
// channel, possibly ahead of time (a warm spare), and sends one `launch` message; the monitor
// then owns that sandbox until it ends. An idle monitor whose engine goes away just exits.
// Started on demand (a CLI launch), it says idle at once and spawns the runtime before loading
// anything only tear-down needs; a warm spare (`--spare`) loads all of that while it waits.
import { supervise } from './supervise';
import type { FromMonitor, ToMonitor } from './protocol';
import { preloadRunner } from '../runner';

const spare = process.argv.includes('--spare');
let detached = false;
let launched = false;

function send(m: FromMonitor): void {
  if (!detached && process.connected) process.send?.(m, undefined, {}, () => undefined);
}

if (!process.send) {
  process.stderr.write('spectrum monitor: must be started by the engine (IPC channel missing)\n');
  process.exit(125);
}

process.on('message', (m: ToMonitor) => {
  if (m.type === 'detach') {
    detached = true;
    process.disconnect();
    return;
  }
  if (m.type === 'launch' && !launched) {
    launched = true;
    const done = supervise(m, send, () => detached);
    // The runtime is spawned by now (supervise does that first); load the tear-down's process
    // runner while it starts, not after it exits.
    if (!spare) setImmediate(() => void preloadRunner().catch(() => undefined));
    done.then(
      (code) => {
        // Everything is recorded on disk; leave now rather than wait on stray handles (a
        // finished child's pipes can hold the loop for a second or more).
        const leave = () => process.exit(code);
        if (process.connected) process.send?.({ type: 'bye' }, undefined, {}, () => setImmediate(leave));
        else leave();
        setTimeout(leave, 200).unref();
      },
      (err: Error) => {
        process.stderr.write(`spectrum monitor: ${err.stack ?? err.message}\n`);
        process.exit(1);
      },
    );
  }
});
process.on('disconnect', () => {
  if (!launched) process.exit(0);
});
// A spare says idle only once the runner is loaded, so a launch never waits on that; one started
// for a launch that is waiting says so at once.
if (spare) void preloadRunner().then(() => send({ type: 'idle' }));
else send({ type: 'idle' });
