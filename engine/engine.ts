// createEngine(): the Engine of api.ts over drivers, monitors and the state directory.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, promises as fs, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Disposable, Engine, EngineEvent, EngineOptions, ExecCallOptions, ExecResult, LaunchOptions, RunOptions, RunResult, SandboxInfo } from './api';
import type { SandboxSpec } from './spec/types';
import type { HostSnapshot } from './host/snapshot';
import type { LaunchPlan } from './drivers/driver';
import { EngineError } from './errors';
import { DRIVERS, driverFor } from './drivers/registry';
import { collectHost } from './host/collect';
import { doctorReport } from './host/doctor';
import { enginePaths, sandboxDir, sandboxRunDir } from './state/paths';
import { FILES, type SandboxRecord } from './state/record';
import { listSandboxIds, touchChanged, writeStatus } from './state/store';
import { withLock } from './state/lock';
import { MonitorPool, type MonitorHandle } from './lifecycle/monitors';
import { effectiveState, LAUNCH_GRACE_MS, loadSandbox, toInfo, type Loaded } from './lifecycle/info';
import { bundleSpec, isBundleDir, specsFromFile } from './lifecycle/specs';
import { firecrackerSpecs, isFirecrackerConfigFile } from './vm/spec-request';
import { vmCacheReport } from './vm/cache';
import { cleanupAfter, stopProcess } from './lifecycle/teardown';
import { waitHttp } from './lifecycle/readiness';
import { isAlive, isSameProcess } from './host/procfs';
import { runCommand, startInteractive } from './runner';
import { loadSpecFile } from './spec/load';

const MONITOR_STOP_MS = 15_000;
const REFILL_DELAY_MS = 1000;

export function makeId(name: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 32) || 'sandbox';
  return `${base}-${randomBytes(3).toString('hex')}`;
}

async function tailOf(file: string, lines = 15): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function specsOf(fileOrBundle: string, name?: string, bundleIsolation: 'container' | 'gvisor' = 'container'): Promise<SandboxSpec[]> {
  if (isBundleDir(fileOrBundle)) return [bundleSpec(fileOrBundle, bundleIsolation, name)];
  // A Firecracker --config-file boots on Firecracker where usable, else through QEMU microvm.
  if (isFirecrackerConfigFile(fileOrBundle)) return firecrackerSpecs(fileOrBundle, name);
  return specsFromFile(fileOrBundle, name);
}

export function createEngine(options: EngineOptions = {}): Engine {
  const env = options.env ?? process.env;
  const paths = enginePaths(env);
  const defaultOwner = options.owner ?? 'cli';
  const pool = new MonitorPool(env, options.prewarm ?? false);
  const kept = new Map<string, MonitorHandle>();
  const watchers = new Set<FSWatcher>();
  let hostSnapshot: Promise<HostSnapshot> | undefined;

  const host = () => (hostSnapshot ??= collectHost({ quick: true }));
  const ensureDirs = () => {
    mkdirSync(paths.sandboxes, { recursive: true });
    mkdirSync(paths.runtime, { recursive: true, mode: 0o700 });
  };

  async function launch(spec: SandboxSpec, opts: LaunchOptions & { mode: 'up' | 'run' }): Promise<{ id: string; monitor: MonitorHandle }> {
    const h = await host();
    const driver = driverFor(spec, h);
    ensureDirs();
    const id = makeId(spec.name);
    const dir = sandboxDir(paths, id);
    const runDir = sandboxRunDir(paths, id);
    const owner = opts.owner ?? defaultOwner;
    mkdirSync(dir);
    mkdirSync(runDir, { recursive: true });
    const record: SandboxRecord = {
      id,
      name: spec.name,
      owner,
      isolation: spec.isolation,
      runtime: driver.runtime,
      specPath: spec.source.file,
      createdAt: new Date().toISOString(),
      spec,
    };
    const forget = async () => {
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rm(runDir, { recursive: true, force: true });
      touchChanged(paths.sandboxes);
    };
    // Take the monitor while the driver prepares: a fresh one needs a Node start-up.
    const monitorP = pool.take();
    monitorP.catch(() => undefined);
    let monitor: MonitorHandle;
    let plan: LaunchPlan;
    try {
      plan = await driver.prepare({ id, spec, dir, runDir, cacheDir: paths.cache, host: h, unsafe: Boolean(opts.unsafe), env });
      if (spec.timeoutMs) plan.timeoutMs = spec.timeoutMs;
      monitor = await monitorP;
    } catch (err) {
      void monitorP.then((m) => m.child.connected && m.child.disconnect(), () => undefined);
      await forget();
      throw err;
    }
    const ownedByChannel = owner !== 'cli';
    const result = new Promise<void>((resolve, reject) => {
      let ready = false;
      const off = monitor.on((m) => {
        if (m.type === 'output') opts.onOutput?.(m.chunk, m.stream);
        else if (m.type === 'ready') {
          ready = true;
          resolve();
        } else if (m.type === 'exit' && !ready) {
          off();
          if (m.failed) {
            void (async () => {
              const tail = await tailOf(path.join(dir, FILES.log));
              await monitor.gone;
              await forget();
              reject(new EngineError(`${spec.name}: launch failed: ${m.reason ?? 'unknown reason'}${tail ? `\n${tail}` : ''}`));
            })();
          } else resolve();
        }
      });
      void monitor.gone.then(() => {
        if (!ready) reject(new EngineError(`${spec.name}: the monitor exited during launch (see ${path.join(dir, FILES.monitorLog)})`));
      });
      opts.signal?.addEventListener('abort', () => void down(id).catch(() => undefined), { once: true });
      // HTTP readiness is also watched from here: the first answer counts at once, without
      // waiting for the monitor's message (which, on a busy host, costs another wake-up).
      if (plan.readiness.kind === 'http') {
        const r = plan.readiness;
        waitHttp(r.url, { intervalMs: r.intervalMs, timeoutMs: r.timeoutMs, isAlive: () => !ready && monitor.child.connected }).then(
          () => {
            ready = true;
            resolve();
          },
          () => undefined, // the monitor reports failures
        );
      }
    });
    // The monitor writes record.json and plan.json itself, once the runtime is spawned.
    monitor.send({ type: 'launch', dir, runDir, ownedByChannel, ownerPid: ownedByChannel ? process.pid : undefined, forwardOutput: Boolean(opts.onOutput) || opts.mode === 'run', plan, record });
    await result
      .catch((err) => {
        monitor.release();
        throw err;
      })
      // The next spare starts a little later: a Node start-up now would compete for CPU with the
      // runtime that is just starting.
      .finally(() => setTimeout(() => pool.refill(), REFILL_DELAY_MS).unref());
    if (!ownedByChannel && opts.mode === 'up') monitor.detach();
    else {
      kept.set(id, monitor);
      if (opts.mode === 'up') monitor.release();
    }
    return { id, monitor };
  }

  /** Info right after a launch: it was seen ready, even if the monitor has not saved that yet. */
  async function launchedInfo(id: string): Promise<SandboxInfo> {
    let l = loadSandbox(paths.sandboxes, id);
    for (let i = 0; !l && i < 200; i++) {
      await new Promise((r) => setTimeout(r, 5));
      l = loadSandbox(paths.sandboxes, id);
    }
    if (!l) throw new EngineError(`${id}: launched, but its monitor recorded nothing`);
    const info = await toInfo(l);
    if (info.state === 'starting') info.state = 'running';
    return info;
  }

  async function resolve(idOrName: string): Promise<Loaded> {
    const ids = await listSandboxIds(paths.sandboxes);
    if (ids.includes(idOrName)) {
      const l = loadSandbox(paths.sandboxes, idOrName);
      if (l) return l;
    }
    const all = ids.map((id) => loadSandbox(paths.sandboxes, id)).filter((l): l is Loaded => Boolean(l));
    const named = all.filter((l) => l.record.name === idOrName);
    const live = named.filter((l) => ['starting', 'running', 'stopping'].includes(effectiveState(l).state));
    const pick = live.length ? live : named;
    if (pick.length === 1) return pick[0];
    if (pick.length > 1) throw new EngineError(`'${idOrName}' names ${pick.length} sandboxes (${pick.map((l) => l.id).join(', ')}): use an id`);
    throw new EngineError(`no sandbox '${idOrName}' (see spectrum ps)`);
  }

  /** Finishes a tear-down its monitor could not (it died): processes, runtime state, temp files. */
  async function reconcile(l: Loaded): Promise<void> {
    const runDir = sandboxRunDir(paths, l.id);
    const log = (s: string) => void fs.appendFile(path.join(l.dir, FILES.monitorLog), `${new Date().toISOString()} engine: ${s}\n`).catch(() => undefined);
    if (l.plan) {
      if (l.status?.pid && isAlive(l.status.pid)) await stopProcess({ ...l.plan, stop: l.plan.stop.slice(0, 1) }, l.status.pid, log);
      await cleanupAfter(l.plan, runDir, log);
    } else await fs.rm(runDir, { recursive: true, force: true });
  }

  async function ps(): Promise<SandboxInfo[]> {
    const ids = await listSandboxIds(paths.sandboxes);
    const out: SandboxInfo[] = [];
    for (const id of ids) {
      const l = loadSandbox(paths.sandboxes, id);
      if (!l) continue;
      const eff = effectiveState(l);
      if (eff.state === 'failed' && l.status && !l.status.cleaned && !l.monitorAlive) {
        await withLock(path.join(paths.sandboxes, `.${id}.lock`), async () => {
          await reconcile(l);
          writeStatus(l.dir, { ...l.status!, state: 'failed', reason: eff.reason, cleaned: true, endedAt: l.status!.endedAt ?? new Date().toISOString() });
        }).catch(() => undefined);
      }
      out.push(await toInfo(loadSandbox(paths.sandboxes, id) ?? l));
    }
    return out;
  }

  async function down(idOrName: string): Promise<string[]> {
    const l = await resolve(idOrName);
    await withLock(path.join(paths.sandboxes, `.${l.id}.lock`), async () => {
      const s = l.status;
      if (s && isSameProcess(s.monitorPid, s.monitorStart)) {
        try {
          process.kill(s.monitorPid, 'SIGTERM');
        } catch {
          // It just ended by itself.
        }
        const deadline = Date.now() + MONITOR_STOP_MS;
        while (isSameProcess(s.monitorPid, s.monitorStart) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 15));
        if (isSameProcess(s.monitorPid, s.monitorStart)) process.kill(s.monitorPid, 'SIGKILL');
      }
      const after = loadSandbox(paths.sandboxes, l.id) ?? l;
      if (!after.status?.cleaned) await reconcile(after);
      kept.get(l.id)?.release();
      kept.delete(l.id);
      await fs.rm(l.dir, { recursive: true, force: true });
      await fs.rm(sandboxRunDir(paths, l.id), { recursive: true, force: true });
    });
    touchChanged(paths.sandboxes);
    return [l.id];
  }

  async function run(spec: SandboxSpec, opts: RunOptions = {}): Promise<RunResult> {
    const started = performance.now();
    let output = '';
    const { id, monitor } = await launch(spec, {
      owner: opts.owner ?? `run:${process.pid}`,
      unsafe: opts.unsafe,
      mode: 'run',
      onOutput: (chunk, stream) => {
        if (spec.isolation !== 'isolate') output += chunk;
        opts.onOutput?.(chunk, stream);
      },
    });
    const timeoutMs = opts.timeoutMs ?? spec.timeoutMs;
    let timedOut = false;
    let exitCode: number | null = null;
    const stopOnAbort = () => void down(id).catch(() => undefined);
    opts.signal?.addEventListener('abort', stopOnAbort, { once: true });
    try {
      if (spec.isolation === 'isolate') {
        const info = await launchedInfo(id);
        const ctl = new AbortController();
        const timer = timeoutMs ? setTimeout(() => ((timedOut = true), ctl.abort()), timeoutMs) : undefined;
        try {
          const res = await fetch(new URL(opts.path ?? '/', info.url), { signal: ctl.signal });
          output = await res.text();
          exitCode = res.status < 400 ? 0 : 1;
          opts.onOutput?.(output, 'stdout');
        } catch (err) {
          output = (err as Error).message;
          exitCode = 1;
        } finally {
          if (timer) clearTimeout(timer);
        }
      } else {
        const ended = new Promise<number | null>((resolveExit) => {
          monitor.on((m) => m.type === 'exit' && resolveExit(m.exitCode));
          void monitor.gone.then(() => resolveExit(loadSandbox(paths.sandboxes, id)?.status?.exitCode ?? null));
        });
        const timer = timeoutMs ? setTimeout(() => ((timedOut = true), void down(id).catch(() => undefined)), timeoutMs) : undefined;
        exitCode = await ended;
        if (timer) clearTimeout(timer);
      }
    } finally {
      monitor.release();
      opts.signal?.removeEventListener('abort', stopOnAbort);
      if (existsSync(sandboxDir(paths, id))) await down(id).catch(() => undefined);
    }
    return { id, exitCode, output, durationMs: performance.now() - started, ...(timedOut ? { timedOut } : {}) };
  }

  async function logs(idOrName: string, opts: { follow?: boolean; signal?: AbortSignal; onChunk?: (c: string) => void } = {}): Promise<string> {
    const l = await resolve(idOrName);
    const file = path.join(l.dir, FILES.log);
    const read = async (f: string) => fs.readFile(f).catch(() => Buffer.alloc(0));
    const first = Buffer.concat([await read(`${file}.1`), await read(file)]).toString();
    opts.onChunk?.(first);
    if (!opts.follow) return first;
    let offset = (await read(file)).length;
    let all = first;
    for (;;) {
      if (opts.signal?.aborted) break;
      const buf = await read(file);
      if (buf.length < offset) offset = 0; // rotated
      if (buf.length > offset) {
        const chunk = buf.subarray(offset).toString();
        offset = buf.length;
        all += chunk;
        opts.onChunk?.(chunk);
      }
      const now = loadSandbox(paths.sandboxes, l.id);
      if (!now || (now.status && (now.status.state === 'exited' || now.status.state === 'failed') && buf.length === offset)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return all;
  }

  async function exec(idOrName: string, command: string[], opts: ExecCallOptions = {}): Promise<ExecResult> {
    if (opts.tty && opts.stdio !== 'inherit') throw new EngineError('exec with a tty needs the caller\'s terminal (stdio: inherit)');
    const l = await resolve(idOrName);
    const state = effectiveState(l).state;
    if (state !== 'running' || !l.plan) throw new EngineError(`${l.id} is ${state}, not running`);
    const driver = DRIVERS.find((d) => d.runtime === l.record.runtime && d.isolation === l.record.isolation);
    if (!driver?.exec) throw new EngineError(`${l.record.isolation} sandboxes (${l.record.runtime}) have no exec: they run no processes`);
    const p = driver.exec({ id: l.id, dir: l.dir, runDir: sandboxRunDir(paths, l.id), plan: l.plan, pid: l.status?.pid }, command, { tty: opts.tty });
    if (opts.stdio === 'inherit') {
      const r = await startInteractive(p);
      return { exitCode: r.exitCode ?? 1, stdout: '', stderr: '' };
    }
    return runCommand(p, { timeoutMs: 60_000 });
  }

  const engine: Engine = {
    load: (file) => loadSpecFile(path.resolve(file)),
    specs: (fileOrBundle, opts = {}) => specsOf(fileOrBundle, opts.name),
    async up(fileOrBundle, opts = {}) {
      const specs = await specsOf(fileOrBundle, opts.name, opts.bundleIsolation);
      const settled = await Promise.allSettled(specs.map((s) => launch(s, { ...opts, mode: 'up' })));
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        // All or nothing: a file that half launched would be hard to reason about.
        for (const r of settled) if (r.status === 'fulfilled') await down(r.value.id).catch(() => undefined);
        throw failed.reason;
      }
      return Promise.all(settled.map((r) => launchedInfo((r as PromiseFulfilledResult<{ id: string }>).value.id)));
    },
    async upSpec(spec, opts = {}) {
      const { id } = await launch(spec, { ...opts, mode: 'up' });
      return launchedInfo(id);
    },
    run,
    ps,
    async inspect(idOrName) {
      const l = await resolve(idOrName);
      const info = await toInfo(l, { usage: true });
      const driver = DRIVERS.find((d) => d.runtime === l.record.runtime && d.isolation === l.record.isolation);
      if (driver?.inspect && l.plan && info.state === 'running') {
        // Level-specific extras (e.g. a VMM's own status over QMP); never let them block inspect.
        const ctx = { id: l.id, dir: l.dir, runDir: sandboxRunDir(paths, l.id), plan: l.plan, pid: l.status?.pid };
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000).unref());
        try {
          info.extra = { ...info.extra, ...(await Promise.race([driver.inspect(ctx), timeout])) };
        } catch (err) {
          info.extra = { ...info.extra, inspectError: (err as Error).message };
        }
      }
      return info;
    },
    logs,
    exec,
    down,
    async downAll(filter = {}) {
      const ids = await listSandboxIds(paths.sandboxes);
      const out: string[] = [];
      await Promise.all(
        ids.map(async (id) => {
          const l = loadSandbox(paths.sandboxes, id);
          if (filter.owner && l?.record.owner !== filter.owner) return;
          if (!l) {
            // A directory without record.json is a launch in progress, or one a crash cut short.
            const st = await fs.stat(sandboxDir(paths, id)).catch(() => undefined);
            if (st && Date.now() - st.mtimeMs > LAUNCH_GRACE_MS) await fs.rm(sandboxDir(paths, id), { recursive: true, force: true });
            return;
          }
          out.push(...(await down(id)));
        }),
      );
      return out.sort();
    },
    async doctor() {
      const report = doctorReport(await collectHost(), DRIVERS);
      // Guest kernels and initramfs images the engine cached: where and how big.
      report.facts.vmCache = vmCacheReport(env);
      return report;
    },
    host,
    warm: () => pool.warm(),
    onDidChange(listener: (e: EngineEvent) => void): Disposable {
      ensureDirs();
      let timer: NodeJS.Timeout | undefined;
      const w = watch(paths.sandboxes, () => {
        if (timer) return;
        timer = setTimeout(() => {
          timer = undefined;
          listener({ type: 'changed' });
        }, 30);
      });
      w.unref();
      watchers.add(w);
      return {
        dispose: () => {
          if (timer) clearTimeout(timer);
          w.close();
          watchers.delete(w);
        },
      };
    },
    dispose() {
      pool.dispose();
      for (const w of watchers) w.close();
      watchers.clear();
    },
  };
  return engine;
}
