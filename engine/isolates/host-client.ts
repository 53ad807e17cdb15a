// The engine's side of the isolate host: find the running host of this state directory or start
// one (under a lock, so concurrent launches share one), and ask it to add, remove or describe
// an isolate. The host is its own detached process: it outlives the engine that started it,
// never the isolates it serves.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { EngineError } from '../errors';
import { withLock } from '../state/lock';
import { readJson } from '../state/store';
import { isAlive } from '../host/procfs';
import { isOurProcess } from '../state/identity';
import type { HostAnswer, HostInfo, HostLaunch, HostPaths, HostRequest } from './protocol';

const START_TIMEOUT_MS = 20_000;

/** The worker's own module failed to load in the host: a cold start would fail the same way. */
export class WorkerLoadError extends EngineError {}
const LOCK_TIMEOUT_MS = 30_000;

function hostArgv(env: NodeJS.ProcessEnv): string[] {
  if (env.SPECTRUM_ISOLATE_HOST_SCRIPT) return [env.SPECTRUM_ISOLATE_HOST_SCRIPT];
  // Beside an explicitly chosen monitor bundle (tests run the built bundles from source).
  if (env.SPECTRUM_MONITOR_SCRIPT) return [path.join(path.dirname(env.SPECTRUM_MONITOR_SCRIPT), 'isolate-host.js')];
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  if (__filename.endsWith('.ts')) return ['--import', 'tsx', path.join(here, 'host-main.ts')];
  for (const p of [path.join(here, 'isolate-host.js'), path.join(here, '..', 'dist', 'isolate-host.js')]) if (existsSync(p)) return [p];
  throw new EngineError('the isolate host bundle (dist/isolate-host.js) is missing', [], 'npm run build');
}

/** The live host of this state directory, if any. */
export function runningHost(hp: HostPaths): HostInfo | undefined {
  const info = readJson<HostInfo>(hp.info);
  return info && isOurProcess({ pid: info.pid, start: info.start, boot: info.boot }) ? info : undefined;
}

export function hostRequest(socket: string, req: HostRequest, timeoutMs = 10_000): Promise<HostAnswer> {
  return new Promise((resolve, reject) => {
    const conn = net.createConnection(socket);
    let buf = '';
    const timer = setTimeout(() => conn.destroy(new Error(`the isolate host did not answer '${req.type}' within ${timeoutMs} ms`)), timeoutMs);
    conn.setEncoding('utf8');
    conn.on('connect', () => conn.write(JSON.stringify(req) + '\n'));
    conn.on('data', (c: string) => (buf += c));
    conn.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buf) as HostAnswer);
      } catch {
        reject(new Error(`the isolate host gave no answer to '${req.type}'`));
      }
    });
    conn.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function waitGone(pid: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

async function startHost(hp: HostPaths, launch: Omit<HostLaunch, 'paths'>, env: NodeJS.ProcessEnv): Promise<HostInfo> {
  // A host monitor that died may have left its workerd behind.
  const stale = readJson<HostInfo>(hp.info);
  if (stale && isOurProcess({ pid: stale.workerdPid, start: stale.workerdStart, boot: stale.boot })) {
    try {
      process.kill(-stale.workerdPid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  const child = spawn(process.execPath, [...hostArgv(env), JSON.stringify({ ...launch, paths: hp })], {
    // Own session: the CLI's terminal and its signals never reach it.
    detached: true,
    stdio: ['ignore', 'ignore', env.SPECTRUM_DEBUG ? 'inherit' : 'ignore', 'ipc'],
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
  });
  try {
    return await new Promise<HostInfo>((resolve, reject) => {
      const timer = setTimeout(() => reject(new EngineError(`the isolate host did not start within ${START_TIMEOUT_MS} ms (see ${path.join(hp.dir, 'host-monitor.log')})`)), START_TIMEOUT_MS);
      child.on('message', (m: { type: string; info?: HostInfo; reason?: string }) => {
        clearTimeout(timer);
        if (m.type === 'ready' && m.info) resolve(m.info);
        else reject(new EngineError(`the isolate host could not start: ${m.reason ?? 'unknown reason'}`));
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new EngineError(`the isolate host exited at start-up (code ${code}; see ${path.join(hp.dir, 'host-monitor.log')})`));
      });
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new EngineError(`the isolate host could not start: ${err.message}`));
      });
    });
  } finally {
    if (child.connected) child.disconnect();
    child.unref();
  }
}

/**
 * Adds an isolate to the running host (starting one if needed) and returns the host and the
 * isolate's own port. `prepare` runs with the host's facts before the isolate is added (the
 * caller records how to find and stop it before it exists).
 */
export async function addToHost(
  hp: HostPaths,
  launch: Omit<HostLaunch, 'paths'>,
  env: NodeJS.ProcessEnv,
  req: Extract<HostRequest, { type: 'add' }>,
  prepare: (info: HostInfo) => void,
): Promise<{ info: HostInfo; port: number }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const info = await withLock(hp.lock, async () => runningHost(hp) ?? (await startHost(hp, launch, env)), LOCK_TIMEOUT_MS);
    prepare(info);
    let answer: HostAnswer;
    try {
      answer = await hostRequest(info.socket, req);
    } catch (err) {
      // It left between the look-up and the request: start another.
      if (!runningHost(hp)) continue;
      throw new EngineError(`the isolate host did not take ${req.id}: ${(err as Error).message}`);
    }
    if (answer.ok && answer.port) return { info, port: answer.port };
    if (answer.ok) throw new EngineError(`the isolate host took ${req.id} but gave it no port`);
    if (answer.closing) {
      await waitGone(info.pid, 5000);
      continue;
    }
    if (answer.workerError) throw new WorkerLoadError(`launch failed: ${answer.error}`);
    throw new EngineError(`the isolate host did not take ${req.id}: ${answer.error}`);
  }
  throw new EngineError(`the isolate host kept leaving while ${req.id} was being added; try again`);
}

/** Removes an isolate; true when a live host answered (a dead host's isolates are reconciled). */
export async function removeFromHost(hp: HostPaths, id: string, reason?: string): Promise<boolean> {
  const info = runningHost(hp);
  if (!info) return false;
  const answer = await hostRequest(info.socket, { type: 'remove', id, reason }).catch(async (err: NodeJS.ErrnoException) => {
    // A host with no socket (or one that refuses) is on its way out: its isolates go with it.
    if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') await waitGone(info.pid, 5000);
    if (!runningHost(hp)) return { ok: true } as HostAnswer;
    throw new EngineError(`the isolate host did not remove ${id}: ${err.message}`);
  });
  if (!answer.ok) throw new EngineError(`the isolate host did not remove ${id}: ${answer.error}`);
  // The last isolate out: return once the host (and its workerd) is gone, so nothing is left.
  if (answer.leaving) {
    await waitGone(info.pid, 5000);
    await waitGone(info.workerdPid, 1000);
  }
  return true;
}

/**
 * `down --all`: a host whose isolates all belong to sandboxes that are gone (a kill -9 cut their
 * tear-down short) has nothing left to serve. Its orphans are removed, and a host that then
 * still runs is stopped (SIGTERM: it stops its workerd on the way out), so nothing outlives them.
 */
export async function stopOrphanedHost(hp: HostPaths, live: ReadonlySet<string>): Promise<void> {
  const info = runningHost(hp);
  if (!info) return;
  const answer = await hostRequest(info.socket, { type: 'list' }, 3000).catch(() => undefined);
  const served = answer?.ok ? (answer.isolates ?? []) : [];
  if (served.some((id) => live.has(id))) return;
  for (const id of served) await removeFromHost(hp, id, 'its sandbox is gone').catch(() => undefined);
  const still = runningHost(hp);
  if (!still) return;
  try {
    process.kill(still.pid, 'SIGTERM');
  } catch {
    return;
  }
  await waitGone(still.pid, 5000);
  await waitGone(still.workerdPid, 1000);
}
