// Starting monitor processes. A long-lived engine (extension host, bench) keeps one spare monitor
// already started, so a launch costs one IPC message instead of a Node start-up. The monitor runs
// from dist/monitor.js beside the bundle, or from source through tsx in development and tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FromMonitor, ToMonitor } from '../monitor/protocol';
import { EngineError } from '../errors';

function monitorArgv(env: NodeJS.ProcessEnv): string[] {
  // An explicit bundle (tests run the built monitor while the engine runs from source).
  if (env.SPECTRUM_MONITOR_SCRIPT) return [env.SPECTRUM_MONITOR_SCRIPT];
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  if (__filename.endsWith('.ts')) {
    // Source mode (tsx): run the monitor's source with the same loader.
    return ['--import', 'tsx', path.join(here, '..', 'monitor', 'main.ts')];
  }
  for (const p of [path.join(here, 'monitor.js'), path.join(here, '..', 'dist', 'monitor.js')]) {
    if (existsSync(p)) return [p];
  }
  throw new EngineError('the monitor bundle (dist/monitor.js) is missing', [], 'npm run build');
}

function sourceRoot(): string {
  return path.resolve(typeof __dirname === 'string' ? __dirname : process.cwd(), '..', '..');
}

export class MonitorHandle {
  private listeners = new Set<(m: FromMonitor) => void>();
  readonly idle: Promise<void>;
  readonly gone: Promise<void>;

  constructor(readonly child: ChildProcess) {
    let idle!: () => void;
    this.idle = new Promise((r) => (idle = r));
    child.on('message', (m: FromMonitor) => {
      if (m.type === 'idle') idle();
      for (const l of [...this.listeners]) l(m);
    });
    this.gone = new Promise((r) => {
      child.on('exit', () => r());
      child.on('disconnect', () => r());
      child.on('error', () => r());
    });
    this.gone.then(() => idle());
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  on(l: (m: FromMonitor) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  send(m: ToMonitor): void {
    if (this.child.connected) this.child.send(m);
  }

  /** The engine leaves; the monitor keeps its sandbox. */
  detach(): void {
    this.send({ type: 'detach' });
    this.release();
  }

  /** Let this process exit without waiting on the monitor. */
  release(): void {
    this.child.unref();
    (this.child as unknown as { channel?: { unref(): void } }).channel?.unref();
  }

  /** Keep this process alive while it waits on the monitor (a launch or `run` in progress). */
  hold(): void {
    this.child.ref();
    (this.child as unknown as { channel?: { ref(): void } }).channel?.ref();
  }
}

/** `spare`: started ahead of any launch, so it may load everything before it says idle. */
export function startMonitor(env: NodeJS.ProcessEnv, opts: { spare?: boolean } = {}): MonitorHandle {
  const child = spawn(process.execPath, [...monitorArgv(env), ...(opts.spare ? ['--spare'] : [])], {
    cwd: __filename.endsWith('.ts') && !env.SPECTRUM_MONITOR_SCRIPT ? sourceRoot() : undefined,
    // Own session: a terminal's Ctrl-C or hang-up reaches the CLI, not the sandboxes it left running.
    detached: true,
    stdio: ['ignore', 'ignore', env.SPECTRUM_DEBUG ? 'inherit' : 'ignore', 'ipc'],
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
  });
  const h = new MonitorHandle(child);
  h.release();
  return h;
}

/**
 * A monitor a front end started before it even loaded the engine (`spectrum run` and `up` start
 * one first thing, so its Node start-up overlaps theirs). The first take() in this process whose
 * engine has the same environment gets it.
 */
let early: { env: NodeJS.ProcessEnv; handle: MonitorHandle } | undefined;

export function startMonitorEarly(env: NodeJS.ProcessEnv): void {
  if (!early) early = { env, handle: startMonitor(env) };
}

/**
 * Ends an early monitor no launch took (the command failed first, or needed none): it owns
 * nothing yet, and left alone it would outlive this process until it noticed its channel close.
 */
export function discardEarlyMonitor(): void {
  const e = early;
  early = undefined;
  if (e && e.handle.child.exitCode === null) e.handle.child.kill('SIGKILL');
}

function takeEarly(env: NodeJS.ProcessEnv): MonitorHandle | undefined {
  const e = early;
  if (!e || e.env !== env) return undefined;
  early = undefined;
  return e.handle.child.connected ? e.handle : undefined;
}

/** Hands out monitors, keeping one spare started when asked to. */
export class MonitorPool {
  private spare?: MonitorHandle;
  private disposed = false;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly prewarm: boolean,
  ) {
    if (prewarm) this.refill();
  }

  async take(): Promise<MonitorHandle> {
    let h = this.spare;
    this.spare = undefined;
    if (!h || !h.child.connected) h = takeEarly(this.env) ?? startMonitor(this.env);
    h.hold();
    await h.idle;
    if (!h.child.connected) throw new EngineError('the sandbox monitor exited at start-up (see its stderr by running dist/monitor.js)');
    return h;
  }

  /** Resolves once a spare monitor is started and idle (prewarm only). */
  async warm(): Promise<void> {
    if (!this.prewarm) return;
    this.refill();
    const spare = this.spare;
    if (!spare) return;
    // Keep the caller alive while it waits (a spare is otherwise unref'd so it never holds exit).
    spare.hold();
    try {
      await spare.idle;
    } finally {
      if (this.spare === spare) spare.release();
    }
  }

  /** Start the next spare; called after a launch so it does not compete with that launch for CPU. */
  refill(): void {
    if (!this.prewarm || this.disposed || this.spare) return;
    this.spare = startMonitor(this.env, { spare: true });
  }

  dispose(): void {
    this.disposed = true;
    // An idle monitor exits by itself when its channel closes.
    this.spare?.child.disconnect();
    this.spare = undefined;
  }
}
