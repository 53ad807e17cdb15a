// createEngine(): the Engine of api.ts over drivers, monitors and the state directory.
// Only what every call needs is imported up front. The drivers, spec files, images, copies,
// snapshots and measurements are imported where they are used (`await import(...)`), so
// `spectrum ps`, `logs` and `down` never load them: the CLI's build splits each into a chunk of
// its own (scripts/build.mjs), and in one bundle they are at least not run until needed.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, promises as fs, renameSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Disposable, Engine, EngineEvent, EngineOptions, ExecCallOptions, ExecResult, LaunchOptions, RunOptions, RunResult, SandboxInfo } from './api';
import type { SandboxSpec } from './spec/types';
import type { HostSnapshot } from './host/snapshot';
import type { LaunchPlan } from './drivers/driver';
import { EngineError } from './errors';
import { PROBES_FOR } from './host/binaries';
import { enginePaths, ensurePrivateDir, sandboxDir, sandboxRunDir } from './state/paths';
import { FILES, type SandboxRecord } from './state/record';
import { listSandboxIds, monitorAlive, runtimeAlive, touchChanged, writeJsonAtomic, writeStatus } from './state/store';
import { withLock } from './state/lock';
import { diskError } from './state/disk-errors';
import { MonitorPool, type MonitorHandle } from './lifecycle/monitors';
import { effectiveState, LAUNCH_GRACE_MS, loadSandbox, toInfo, type Loaded } from './lifecycle/info';
import { vmCacheReport } from './vm/cache';
import { cleanupAfter, killGroup, stopProcess } from './lifecycle/teardown';
import { waitHttp } from './lifecycle/readiness';
import { refOf } from './state/identity';
import { killTagged, SANDBOX_TAG } from './lifecycle/orphans';
import { withDefaultLimits } from './spec/defaults';
import { runCommand, startInteractive } from './runner';
import type { SandboxExec } from './cp/copy';
import { checkSandboxPath } from './cp/operands';
import { chooseStart } from './isolates/warm-start';
import { isWarmPlan, launchWarmIsolate, removeWarmIsolate, stopOrphanedWarmHost, WorkerLoadError } from './isolates/warm-launch';
import { withRootfsSteps } from './images/overlay';
import { isPaused, setPaused, withPauseState } from './snapshots/pause';
import { deleteSnapshot, listSnapshots, readSnapshot, type SnapshotEntry } from './snapshots/store';

const MONITOR_STOP_MS = 15_000;
const STAGING_STALE_MS = 10_000;
const REFILL_DELAY_MS = 1000;

export function makeId(name: string): string {
  // It starts with a letter or digit: ps and down skip dot-names (locks, stamps), so a bundle
  // folder named `.oci` must not give an id they cannot see.
  const base = name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 32) || 'sandbox';
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
  const { bundleSpec, isBundleDir, specsFromFile } = await import('./lifecycle/specs');
  const { firecrackerSpecs, isFirecrackerConfigFile } = await import('./vm/spec-request');
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

  // Probe results are cached per binary (host/probe-cache.ts): a snapshot costs a few stat()
  // calls, and a runtime is started to ask its version only when it changed.
  const hostCache = path.join(paths.cache, 'host.json');
  const host = async (probe?: readonly string[]): Promise<HostSnapshot> => (await import('./host/collect')).collectHost({ quick: true, env, cacheFile: hostCache, probe });
  const ensureDirs = () => {
    ensurePrivateDir(paths.state);
    ensurePrivateDir(paths.sandboxes);
    ensurePrivateDir(paths.runtime);
  };

  async function launch(asked: SandboxSpec, opts: LaunchOptions & { mode: 'up' | 'run'; restore?: SnapshotEntry }): Promise<{ id: string; monitor?: MonitorHandle }> {
    (await import('./lifecycle/consent')).requireConsent([asked], opts.unsafe);
    const h = await host(PROBES_FOR[asked.isolation]);
    const limited = withDefaultLimits(asked, h.isRoot);
    const spec = limited.spec;
    const driver = (await import('./drivers/registry')).driverFor(spec, h);
    const start = spec.isolation === 'microvm' ? (await import('./vm/warm-start')).chooseVmStart(spec) : spec.isolation === 'isolate' && spec.ports?.length ? (await import('./drivers/workerd')).isolatePortsStart(spec) : chooseStart(spec);
    ensureDirs();
    const id = makeId(spec.name);
    const dir = sandboxDir(paths, id);
    const runDir = sandboxRunDir(paths, id);
    const owner = opts.owner ?? defaultOwner;
    const record: SandboxRecord = {
      id,
      name: spec.name,
      owner,
      isolation: spec.isolation,
      runtime: driver.runtime,
      specPath: spec.source.file,
      createdAt: new Date().toISOString(),
      spec,
      launcher: refOf(process.pid),
    };
    // Recorded before anything else happens, and the directory appears with its record in it
    // (made under a dot-name ps skips, then renamed): a launch cut short at any point is either
    // invisible and harmless, or visible to ps and down, which clean it up.
    const staging = path.join(paths.sandboxes, `.${id}.new`);
    try {
      mkdirSync(staging, { mode: 0o700 });
      writeJsonAtomic(path.join(staging, FILES.record), record);
      renameSync(staging, dir);
      mkdirSync(runDir, { recursive: true, mode: 0o700 });
    } catch (err) {
      await fs.rm(staging, { recursive: true, force: true });
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rm(runDir, { recursive: true, force: true });
      throw diskError(err, `${spec.name}: cannot record the sandbox`, paths.state);
    }
    const forget = async () => {
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rm(runDir, { recursive: true, force: true });
      touchChanged(paths.sandboxes);
    };
    if (start.warm && spec.isolation === 'isolate') {
      try {
        await launchWarmIsolate({ id, dir, runDir, record, host: h, paths, env, ownerPid: owner !== 'cli' ? process.pid : undefined });
        touchChanged(paths.sandboxes);
        return { id };
      } catch (err) {
        // `auto` falls back to a cold start and says why; an asked-for warm start, or a worker
        // that failed to load (it would fail cold too), reports it.
        if (spec.start === 'warm' || err instanceof WorkerLoadError) {
          await forget();
          throw err;
        }
        start.why = `the warm isolate host failed: ${(err as Error).message}`;
        await fs.rm(path.join(dir, FILES.status), { force: true });
      }
    }
    // Take the monitor while the driver prepares: a fresh one needs a Node start-up.
    const monitorP = pool.take();
    monitorP.catch(() => undefined);
    let monitor: MonitorHandle;
    let plan: LaunchPlan;
    // A warm microVM: the saved base it restores (engine/vm/warm-*.ts).
    let warmBase: SnapshotEntry | undefined;
    try {
      const ctx = { id, spec, dir, runDir, cacheDir: paths.cache, host: h, unsafe: Boolean(opts.unsafe), env };
      plan = withRootfsSteps(await driver.prepare(ctx), ctx);
      if (spec.timeoutMs) plan.timeoutMs = spec.timeoutMs;
      plan.process.env = { ...plan.process.env, [SANDBOX_TAG]: id };
      plan.extra = { ...plan.extra, start: 'cold', ...(start.why ? { startNote: start.why } : {}) };
      if (opts.restore) plan = { ...(await import('./snapshots/take')).restoredPlan(plan, opts.restore, dir), extra: { ...plan.extra, start: 'restored', snapshot: opts.restore.name } };
      else if (start.warm && spec.isolation === 'microvm') ({ plan, base: warmBase } = await (await import('./vm/warm-base')).warmLaunchPlan(paths, plan, spec, dir, baseSteps));
      if (limited.limits) plan.extra = { ...plan.extra, limits: limited.limits, ...(limited.warning ? { limitsWarning: limited.warning } : {}) };
      if (limited.warning) opts.onOutput?.(`spectrum: warning: ${limited.warning}\n`, 'stderr');
      // On disk before the runtime exists: whatever is killed from here on, ps and down find
      // the sandbox and know how to tear it down.
      writeJsonAtomic(path.join(dir, FILES.plan), plan);
      monitor = await monitorP;
      // The monitor too, so a down that comes before its first status can still stop it.
      if (monitor.child.pid) writeJsonAtomic(path.join(dir, FILES.record), { ...record, monitor: refOf(monitor.child.pid) });
    } catch (err) {
      void monitorP.then((m) => m.child.connected && m.child.disconnect(), () => undefined);
      await forget();
      throw diskError(err, `${spec.name}: cannot prepare the sandbox`, paths.state);
    }
    const ownedByChannel = owner !== 'cli';
    const result = new Promise<void>((resolve, reject) => {
      let ready = false;
      // Set when the monitor's failure reason arrived: that path reports it and forgets.
      let failing = false;
      const off = monitor.on((m) => {
        if (m.type === 'output') opts.onOutput?.(m.chunk, m.stream);
        else if (m.type === 'ready') {
          ready = true;
          resolve();
        } else if (m.type === 'exit' && !ready) {
          off();
          if (m.failed) {
            failing = true;
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
        if (!ready && !failing) reject(new EngineError(`${spec.name}: the monitor exited during launch (see ${path.join(dir, FILES.monitorLog)})`));
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
    const handOver = warmBase ? (await import('./vm/warm-base')).handOver : undefined;
    monitor.send({ type: 'launch', dir, runDir, ownedByChannel, ownerPid: ownedByChannel ? process.pid : undefined, forwardOutput: Boolean(opts.onOutput) || opts.mode === 'run', plan });
    // A warm microVM reaches its start line only once its command is handed over.
    const alive = () => {
      const l = loadSandbox(paths.sandboxes, id);
      return Boolean(l) && ['starting', 'running'].includes(effectiveState(l!).state);
    };
    const handedOver = handOver?.(dir, plan, warmBase!, spec, alive).catch(async (err: Error) => {
      await down(id).catch(() => undefined);
      throw err;
    });
    await (handedOver ? Promise.all([result, handedOver]).then(() => undefined) : result)
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

  /**
   * Finishes a tear-down its monitor could not (it died): processes, runtime state, temp files.
   * Only a process proven to be the recorded one is signalled (same boot, same start time), and
   * runtimes started before their pid was recorded are found by their tag. False when something
   * is left.
   */
  async function reconcile(l: Loaded): Promise<boolean> {
    const runDir = sandboxRunDir(paths, l.id);
    const log = (s: string) => void fs.appendFile(path.join(l.dir, FILES.monitorLog), `${new Date().toISOString()} engine: ${s}\n`, { mode: 0o600 }).catch(() => undefined);
    let ok = true;
    if (l.plan) {
      const status = l.status;
      if (status?.pid && runtimeAlive(status)) ok = await stopProcess({ ...l.plan, stop: l.plan.stop.slice(0, 1) }, status.pid, log, () => runtimeAlive(status));
      ok = (await killTagged(l.id, log)) && ok;
      ok = (await cleanupAfter(l.plan, runDir, log)) && ok;
    } else {
      ok = await killTagged(l.id, log);
      await fs.rm(runDir, { recursive: true, force: true });
    }
    return ok;
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
          const cleaned = await reconcile(l);
          writeStatus(l.dir, { ...l.status!, state: 'failed', reason: eff.reason, cleaned, endedAt: l.status!.endedAt ?? new Date().toISOString() });
        }).catch(() => undefined);
      }
      const now = loadSandbox(paths.sandboxes, id) ?? l;
      out.push(withPauseState(await toInfo(now), now.dir));
    }
    return out;
  }

  async function down(idOrName: string): Promise<string[]> {
    const l = await resolve(idOrName);
    await withLock(path.join(paths.sandboxes, `.${l.id}.lock`), async () => {
      const s = l.status ?? (l.record.monitor ? { monitorPid: l.record.monitor.pid, monitorStart: l.record.monitor.start, bootId: l.record.monitor.boot, state: 'starting' as const } : undefined);
      // A warm isolate's monitor is the isolate host, shared with its neighbours: ask it instead.
      if (s && monitorAlive(s) && isWarmPlan(l.plan)) await removeWarmIsolate(paths, l.id);
      else if (s && monitorAlive(s)) {
        try {
          process.kill(s.monitorPid, 'SIGTERM');
        } catch {
          // It just ended by itself.
        }
        const deadline = Date.now() + MONITOR_STOP_MS;
        while (monitorAlive(s) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 15));
        // Its group too: a monitor stuck in a hung helper (a runtime's delete that never
        // returns) would otherwise leave that helper behind, orphaned.
        if (monitorAlive(s)) killGroup(s.monitorPid, 'SIGKILL');
      }
      const after = loadSandbox(paths.sandboxes, l.id) ?? l;
      // The state is what finds the leftovers next time: it goes only once they are gone.
      if (!after.status?.cleaned && !(await reconcile(after))) {
        throw new EngineError(`${l.id}: tear-down left something behind; its state is kept (see ${path.join(l.dir, FILES.monitorLog)})`, [], `spectrum down ${l.id} tries again`);
      }
      kept.get(l.id)?.release();
      kept.delete(l.id);
      await fs.rm(l.dir, { recursive: true, force: true });
      await fs.rm(sandboxRunDir(paths, l.id), { recursive: true, force: true });
    });
    touchChanged(paths.sandboxes);
    return [l.id];
  }

  /**
   * What a crash mid-launch can leave without a record: a staging directory (`.<id>.new`, made
   * and renamed within microseconds, so one older than STAGING_STALE_MS is dead) and a runtime
   * directory whose sandbox has no state.
   */
  async function removeOrphanRunDirs(known: Set<string>): Promise<void> {
    for (const name of await fs.readdir(paths.sandboxes).catch(() => [] as string[])) {
      if (!/^\..+\.new$/.test(name)) continue;
      const st = await fs.lstat(path.join(paths.sandboxes, name)).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > STAGING_STALE_MS) await fs.rm(path.join(paths.sandboxes, name), { recursive: true, force: true });
    }
    const names = await fs.readdir(paths.runtime).catch(() => [] as string[]);
    for (const name of names) {
      // Only sandbox-named ones: the runtime folder also holds shared things (the isolate host).
      if (!/^[a-z0-9][a-z0-9_.-]*-[0-9a-f]{6}$/.test(name) || known.has(name) || existsSync(sandboxDir(paths, name))) continue;
      const st = await fs.lstat(path.join(paths.runtime, name)).catch(() => undefined);
      if (st?.isDirectory() && Date.now() - st.mtimeMs > LAUNCH_GRACE_MS) await fs.rm(path.join(paths.runtime, name), { recursive: true, force: true });
    }
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
          monitor!.on((m) => m.type === 'exit' && resolveExit(m.exitCode));
          void monitor!.gone.then(() => resolveExit(loadSandbox(paths.sandboxes, id)?.status?.exitCode ?? null));
        });
        const timer = timeoutMs ? setTimeout(() => ((timedOut = true), void down(id).catch(() => undefined)), timeoutMs) : undefined;
        exitCode = await ended;
        if (timer) clearTimeout(timer);
      }
    } finally {
      monitor?.release();
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

  async function pauseOrResume(idOrName: string, action: 'pause' | 'resume'): Promise<SandboxInfo> {
    const l = await resolve(idOrName);
    const state = effectiveState(l).state;
    if (state !== 'running' || !l.plan) throw new EngineError(`${l.id} is ${state}, not running`);
    const driver = (await import('./drivers/registry')).DRIVERS.find((d) => d.runtime === l.record.runtime && d.isolation === l.record.isolation);
    await withLock(path.join(paths.sandboxes, `.${l.id}.lock`), () =>
      setPaused(driver, { id: l.id, dir: l.dir, runDir: sandboxRunDir(paths, l.id), plan: l.plan!, pid: l.status?.pid }, l.record.isolation, action),
    );
    touchChanged(paths.sandboxes);
    return withPauseState(await toInfo(loadSandbox(paths.sandboxes, l.id) ?? l), l.dir);
  }

  /** How a warm microVM's base is built: a cold launch owned by this process, then torn down. */
  const baseSteps = {
    async launch(s: SandboxSpec) {
      const { id } = await launch(s, { mode: 'up', owner: `warm-base:${process.pid}` });
      const l = loadSandbox(paths.sandboxes, id);
      if (!l?.plan) throw new EngineError(`${id}: the warm base launched, but its plan is missing`);
      return { id, dir: l.dir, record: l.record, plan: l.plan };
    },
    down,
  };

  /** A new sandbox from a snapshot: launched, then loaded (VMs) or waited for (gVisor). */
  async function restoreFrom(snap: SnapshotEntry, opts: LaunchOptions): Promise<SandboxInfo> {
    const { id } = await launch(snap.spec, { ...opts, mode: 'up', restore: snap });
    const l = loadSandbox(paths.sandboxes, id);
    const alive = () => ['starting', 'running'].includes(effectiveState(loadSandbox(paths.sandboxes, id) ?? l!).state);
    const { VM_LEVELS } = await import('./snapshots/qemu-snapshot');
    const { finishVmRestore } = await import('./snapshots/qemu-restore');
    const { waitRestored } = await import('./snapshots/gvisor');
    try {
      if (!l?.plan) throw new EngineError(`${id}: restored, but its plan is missing`);
      if (VM_LEVELS.has(snap.isolation)) await finishVmRestore(l.dir, l.plan, snap, alive);
      else await waitRestored(l.plan, id, () => effectiveState(loadSandbox(paths.sandboxes, id) ?? l).state === 'running');
    } catch (err) {
      await down(id).catch(() => undefined);
      throw err;
    }
    return launchedInfo(id);
  }

  /** Starts commands in a running sandbox (the checks every exec and copy share): its runtime's exec, or a VM's guest agent. */
  async function execTarget(idOrName: string): Promise<SandboxExec> {
    const l = await resolve(idOrName);
    const state = effectiveState(l).state;
    if (state !== 'running' || !l.plan) throw new EngineError(`${l.id} is ${state}, not running`);
    if (isPaused(l.dir)) throw new EngineError(`${l.id} is paused`, [], `spectrum resume ${l.id}`);
    const agent = l.plan.extra?.agentSocket;
    if (typeof agent === 'string') {
      const { agentExec } = await import('./vm/agent-client');
      return (command) => agentExec(agent, { argv: command });
    }
    if (typeof l.plan.extra?.guestAgent === 'string') throw new EngineError(`${l.id} has no guest agent: ${l.plan.extra.guestAgent}`);
    const driver = (await import('./drivers/registry')).DRIVERS.find((d) => d.runtime === l.record.runtime && d.isolation === l.record.isolation);
    if (!driver?.exec) throw new EngineError(`${l.record.isolation} sandboxes (${l.record.runtime}) have no exec: they run no processes`);
    const ctx = { id: l.id, dir: l.dir, runDir: sandboxRunDir(paths, l.id), plan: l.plan, pid: l.status?.pid };
    const { hostProcess } = await import('./cp/copy');
    return (command) => hostProcess(driver.exec!(ctx, command));
  }

  async function exec(idOrName: string, command: string[], opts: ExecCallOptions = {}): Promise<ExecResult> {
    if (opts.tty && opts.stdio !== 'inherit') throw new EngineError('exec with a tty needs the caller\'s terminal (stdio: inherit)');
    const l = await resolve(idOrName);
    const state = effectiveState(l).state;
    if (state !== 'running' || !l.plan) throw new EngineError(`${l.id} is ${state}, not running`);
    if (isPaused(l.dir)) throw new EngineError(`${l.id} is paused`, [], `spectrum resume ${l.id}`);
    const agent = l.plan.extra?.agentSocket;
    // Piped output is collected with the same time limit as a runtime's exec.
    if (typeof agent === 'string') return (await import('./vm/agent-client')).agentRun(agent, command, { inherit: opts.stdio === 'inherit', tty: opts.tty, timeoutMs: opts.stdio === 'inherit' ? undefined : 60_000 });
    if (typeof l.plan.extra?.guestAgent === 'string') throw new EngineError(`${l.id} has no guest agent: ${l.plan.extra.guestAgent}`);
    const driver = (await import('./drivers/registry')).DRIVERS.find((d) => d.runtime === l.record.runtime && d.isolation === l.record.isolation);
    if (!driver?.exec) throw new EngineError(`${l.record.isolation} sandboxes (${l.record.runtime}) have no exec: they run no processes`);
    const p = driver.exec({ id: l.id, dir: l.dir, runDir: sandboxRunDir(paths, l.id), plan: l.plan, pid: l.status?.pid }, command, { tty: opts.tty });
    if (opts.stdio === 'inherit') {
      const r = await startInteractive(p);
      return { exitCode: r.exitCode ?? 1, stdout: '', stderr: '' };
    }
    return runCommand(p, { timeoutMs: opts.timeoutMs ?? 60_000 });
  }

  /** Image digest -> ids of the known sandboxes launched from it (what prune must keep). */
  async function imagesInUse(): Promise<Map<string, string[]>> {
    const used = new Map<string, string[]>();
    for (const id of await listSandboxIds(paths.sandboxes)) {
      const digest = loadSandbox(paths.sandboxes, id)?.plan?.extra?.imageDigest;
      if (typeof digest === 'string') used.set(digest, [...(used.get(digest) ?? []), id]);
    }
    return used;
  }
  let imageOps: Promise<ReturnType<typeof import('./images/service').imageService>> | undefined;
  const images = () => (imageOps ??= import('./images/service').then((m) => m.imageService(paths.cache, imagesInUse)));

  const engine: Engine = {
    load: async (file) => (await import('./spec/load')).loadSpecFile(path.resolve(file)),
    specs: (fileOrBundle, opts = {}) => specsOf(fileOrBundle, opts.name),
    async up(fileOrBundle, opts = {}) {
      const specs = await specsOf(fileOrBundle, opts.name, opts.bundleIsolation);
      // Every privilege of the file at once, before anything starts.
      (await import('./lifecycle/consent')).requireConsent(specs, opts.unsafe);
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
    compare: async (spec, opts) => (await import('./compare/compare')).compareAcrossSpectrum(engine, spec, opts),
    async surface(idOrName) {
      const l = await resolve(idOrName);
      const { state } = effectiveState(l);
      if ((state !== 'running' && state !== 'paused') || !l.plan || !l.status?.pid || !runtimeAlive(l.status)) {
        throw new EngineError(`${l.id} is ${state}: the attack surface is measured from a running sandbox`);
      }
      return (await import('./surface/measure')).measureSurface({ id: l.id, isolation: l.record.isolation, runtime: l.record.runtime, pid: l.status.pid, plan: l.plan, runDir: sandboxRunDir(paths, l.id), cacheDir: paths.cache, env });
    },
    async inspect(idOrName) {
      const l = await resolve(idOrName);
      const info = await toInfo(l, { usage: true });
      const driver = (await import('./drivers/registry')).DRIVERS.find((d) => d.runtime === l.record.runtime && d.isolation === l.record.isolation);
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
      return withPauseState(info, l.dir);
    },
    logs,
    exec,
    copyIn: async (idOrName, hostPath, sandboxPath) => (await import('./cp/copy')).copyIn(await execTarget(idOrName), hostPath, checkSandboxPath(sandboxPath)),
    copyOut: async (idOrName, sandboxPath, hostPath) => (await import('./cp/copy')).copyOut(await execTarget(idOrName), checkSandboxPath(sandboxPath), hostPath),
    async snapshot(idOrName, opts = {}) {
      const l = await resolve(idOrName);
      const state = effectiveState(l).state;
      if (state !== 'running' || !l.plan) throw new EngineError(`${l.id} is ${state}, not running`);
      const { takeSnapshot } = await import('./snapshots/take');
      const { VM_LEVELS } = await import('./snapshots/qemu-snapshot');
      const snap = await withLock(path.join(paths.sandboxes, `.${l.id}.lock`), () => takeSnapshot({ id: l.id, dir: l.dir, record: l.record, plan: l.plan! }, paths, opts.name));
      // A gVisor checkpoint ended the source (this runsc can't leave it running): finish its
      // tear-down. A VM goes on running.
      if (!VM_LEVELS.has(l.record.isolation)) await down(l.id).catch(() => undefined);
      return snap;
    },
    async restore(name, opts = {}) {
      const snap = readSnapshot(paths, name);
      (await import('./snapshots/take')).checkRestorable(snap, (await host()).binaries.runsc?.version);
      return restoreFrom(snap, opts);
    },
    async fork(idOrName, opts = {}) {
      const l = await resolve(idOrName);
      const state = effectiveState(l).state;
      if (state !== 'running' || !l.plan) throw new EngineError(`${l.id} is ${state}, not running`);
      return (await import('./snapshots/fork')).forkVm({ id: l.id, dir: l.dir, record: l.record, plan: l.plan }, paths, opts.count ?? 1, {
        save: (take) => withLock(path.join(paths.sandboxes, `.${l.id}.lock`), take),
        restore: (entry) => restoreFrom(entry, { owner: opts.owner }),
        down,
      });
    },
    snapshots: async () => listSnapshots(paths),
    deleteSnapshot: async (name) => deleteSnapshot(paths, name),
    pause: (idOrName) => pauseOrResume(idOrName, 'pause'),
    resume: (idOrName) => pauseOrResume(idOrName, 'resume'),
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
            if (st && Date.now() - st.mtimeMs > LAUNCH_GRACE_MS) {
              await fs.rm(sandboxDir(paths, id), { recursive: true, force: true });
              await fs.rm(sandboxRunDir(paths, id), { recursive: true, force: true });
            }
            return;
          }
          out.push(...(await down(id)));
        }),
      );
      if (!filter.owner) {
        await removeOrphanRunDirs(new Set(ids));
        await stopOrphanedWarmHost(paths, new Set(await listSandboxIds(paths.sandboxes)));
      }
      return out.sort();
    },
    async doctor(opts = {}) {
      const [{ doctorReport }, { collectHost }, { DRIVERS }] = await Promise.all([import('./host/doctor'), import('./host/collect'), import('./drivers/registry')]);
      const report = doctorReport(await collectHost({ env, cacheFile: hostCache, refresh: opts.refresh }), DRIVERS);
      // Guest kernels and initramfs images the engine cached: where and how big.
      report.facts.vmCache = vmCacheReport(env);
      return report;
    },
    host,
    pullImage: async (image, o = {}) => (await images()).pull(image, { ...o, env: o.env ?? env }),
    images: async () => (await images()).list(),
    removeImage: async (image) => (await images()).remove(image),
    pruneImages: async () => (await images()).prune(),
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
