// Where the isolate host keeps its files, and what the engine and the host monitor say to each
// other over the host's unix socket (one JSON request and one JSON answer per connection).
import path from 'node:path';
import type { EnginePaths } from '../state/paths';
import type { IsolateCode } from './isolate-code';

export interface HostPaths {
  /** Persistent: host.json, the generated config, the host's own log. */
  dir: string;
  /** Sockets: the monitor's (engine requests) and workerd's control socket. */
  runDir: string;
  socket: string;
  workerdControl: string;
  info: string;
  lock: string;
}

export function hostPaths(p: EnginePaths): HostPaths {
  const dir = path.join(p.state, 'isolate-host');
  const runDir = path.join(p.runtime, 'isolate-host');
  return {
    dir,
    runDir,
    socket: path.join(runDir, 'host.sock'),
    workerdControl: path.join(runDir, 'workerd.sock'),
    info: path.join(dir, 'host.json'),
    lock: path.join(p.state, '.isolate-host.lock'),
  };
}

/** host.json: written by the host monitor once it answers, removed when it leaves. */
export interface HostInfo {
  /** The host monitor (owner of workerd). */
  pid: number;
  start?: number;
  /** The boot these pids belong to. */
  boot?: string;
  workerdPid: number;
  workerdStart?: number;
  port: number;
  socket: string;
  startedAt: string;
  workerdVersion?: string;
}

/** What the engine passes the host monitor (argv[2], JSON). */
export interface HostLaunch {
  paths: HostPaths;
  workerd: string;
  workerdVersion?: string;
  /** The host exits if nothing is added within this long after it starts. */
  idleExitMs?: number;
}

export type HostRequest =
  | { type: 'add'; id: string; dir: string; runDir: string; code: IsolateCode; logKey: string; ownerPid?: number; startedAt: string; timeoutMs?: number }
  | { type: 'remove'; id: string; reason?: string }
  | { type: 'stats'; id: string }
  | { type: 'list' };

export type HostAnswer =
  | { ok: true; isolates?: string[]; stats?: Record<string, unknown>; /** add: the isolate's own port. */ port?: number; /** remove: that was the last; the host is leaving. */ leaving?: boolean }
  /** `closing`: the host is leaving (its last isolate just went); start a new one. */
  | { ok: false; error: string; closing?: boolean; /** The worker itself failed to load (a cold start would fail too). */ workerError?: boolean };
