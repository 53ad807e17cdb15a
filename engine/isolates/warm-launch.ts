// Launches an isolate in the warm host: the sandbox gets its own state directory, record, plan
// and log as a cold one does, and the host monitor (its monitor) writes its status.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LaunchPlan } from '../drivers/driver';
import type { HostSnapshot } from '../host/snapshot';
import type { EnginePaths } from '../state/paths';
import { FILES, type SandboxRecord } from '../state/record';
import { writeJsonAtomic } from '../state/store';
import { EngineError } from '../errors';
import { addToHost, hostRequest, removeFromHost, stopOrphanedHost, WorkerLoadError } from './host-client';
import { isolateCode } from './isolate-code';
import { hostPaths, type HostInfo } from './protocol';

export { WorkerLoadError };

export interface WarmLaunch {
  id: string;
  dir: string;
  runDir: string;
  record: SandboxRecord;
  host: HostSnapshot;
  paths: EnginePaths;
  env: NodeJS.ProcessEnv;
  /** Tear down when this process dies (window- and run-owned sandboxes). */
  ownerPid?: number;
}

/** The plan of a warm isolate; without `port` (before the host gave it one) it has no URL yet. */
export function warmPlan(info: HostInfo, record: SandboxRecord, workerd: string, version?: string, port?: number): LaunchPlan {
  const spec = record.spec;
  const url = port ? `http://127.0.0.1:${port}/` : undefined;
  return {
    // The shared workerd: only a reconcile after the host monitor died stops it through this plan.
    process: { command: workerd, args: ['serve', '--experimental'] },
    readiness: url ? { kind: 'http', url } : { kind: 'spawn' },
    stop: [{ kind: 'signal', signal: 'SIGTERM', waitMs: 2000 }],
    cleanup: [],
    ...(url ? { url } : {}),
    network: spec.network === 'none' ? 'none (no outbound fetch)' : spec.network,
    runtimeVersion: version,
    ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
    extra: { start: 'warm', host: { pid: info.pid, workerdPid: info.workerdPid, port: info.port, socket: info.socket }, compatibilityDate: spec.compatibilityDate ?? '2025-01-01' },
  };
}

export async function launchWarmIsolate(o: WarmLaunch): Promise<void> {
  const spec = o.record.spec;
  const workerd = o.host.binaries.workerd?.path;
  if (!workerd) throw new EngineError('workerd is not available', [], 'npm install');
  if (!spec.worker) throw new EngineError(`${spec.name}: an isolate needs \`worker:\` (a JS or Wasm module)`);
  if (spec.command?.length) throw new EngineError(`${spec.name}: an isolate runs a Worker module, not a command; use isolation: container`);
  let source: string;
  try {
    source = readFileSync(spec.worker, 'utf8');
  } catch (err) {
    throw new EngineError(`${spec.name}: cannot read worker ${spec.worker}: ${(err as Error).message}`);
  }
  const logKey = randomBytes(12).toString('hex');
  const version = o.host.binaries.workerd?.version;
  const plan = (info: HostInfo, port?: number) => writeJsonAtomic(path.join(o.dir, FILES.plan), warmPlan(info, o.record, workerd, version, port));
  const added = addToHost(
    hostPaths(o.paths),
    { workerd, workerdVersion: version },
    o.env,
    { type: 'add', id: o.id, dir: o.dir, runDir: o.runDir, code: isolateCode(spec, source, logKey), logKey, ownerPid: o.ownerPid, startedAt: new Date().toISOString(), timeoutMs: spec.timeoutMs },
    (i) => plan(i),
  ).catch((err: Error) => {
    throw err instanceof WorkerLoadError ? new WorkerLoadError(`${spec.name}: ${err.message}`) : err;
  });
  const { info, port } = await added;
  plan(info, port);
}

export const isWarmPlan = (plan: LaunchPlan | undefined): boolean => plan?.extra?.start === 'warm';

export const removeWarmIsolate = (paths: EnginePaths, id: string): Promise<boolean> => removeFromHost(hostPaths(paths), id);

/** After `down --all`: stops the isolate host when none of its isolates has a sandbox left. */
export const stopOrphanedWarmHost = async (paths: EnginePaths, live: ReadonlySet<string>): Promise<void> => stopOrphanedHost(hostPaths(paths), live);

/** inspect extras of a warm isolate: requests served and the host-side time of its first and last answer. */
export async function warmIsolateStats(plan: LaunchPlan, id: string): Promise<Record<string, unknown>> {
  const socket = (plan.extra?.host as { socket?: string } | undefined)?.socket;
  if (!socket) return {};
  const a = await hostRequest(socket, { type: 'stats', id }, 2000);
  return a.ok ? { warm: a.stats } : { inspectError: a.error };
}
