// The isolate host monitor (bundled to dist/isolate-host.js): owns one workerd process that
// serves every warm isolate of an engine state directory. It registers and removes isolates for
// engines over its unix socket, writes each isolate's status.json (it is their monitor), routes
// each isolate's console output to that sandbox's own log, tears down isolates whose owner went
// away or whose timeout passed, and leaves, stopping workerd, when its last isolate goes.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { FILES, type SandboxStatus } from '../state/record';
import { readJson, writeJsonAtomic, writeStatus } from '../state/store';
import { CappedLog } from '../state/caplog';
import { isAlive, startTime } from '../host/procfs';
import { freePort } from '../drivers/workerd';
import { bootId } from '../state/identity';
import { HOST_WORKER_JS, hostConfig } from './host-worker';
import { LineDemux, type Routed } from './log-demux';
import { controlRequest, waitControl } from './workerd-control';
import type { HostAnswer, HostInfo, HostLaunch, HostRequest } from './protocol';

const HOST_MODULE = 'isolate-host.js';
const STOP_WAIT_MS = 2000;
const DEFAULT_IDLE_EXIT_MS = 30_000;

interface Isolate {
  id: string;
  dir: string;
  runDir: string;
  logKey: string;
  ownerPid?: number;
  log: CappedLog;
  status: SandboxStatus;
  timer?: NodeJS.Timeout;
  /** The isolate's own port, piped to workerd's. */
  front?: net.Server;
  conns: Set<net.Socket>;
}

const launch = JSON.parse(process.argv[2] ?? '{}') as HostLaunch;
const P = launch.paths;
const MONITOR_START = startTime(process.pid);
const isolates = new Map<string, Isolate>();
const byKey = new Map<string, Isolate>();
let closing: Promise<never> | undefined;
let workerd: ChildProcess | undefined;
let workerdExited = false;
let WORKERD_START: number | undefined;
let server: net.Server | undefined;
let hostLog: CappedLog | undefined;
let workerdPort = 0;

const note = (s: string) => {
  try {
    appendFileSync(path.join(P.dir, 'host-monitor.log'), `${new Date().toISOString()} ${s}\n`);
  } catch {
    // The state directory is gone: nothing to record into.
  }
};

function route(r: Routed): void {
  const iso = r.key ? byKey.get(r.key) : undefined;
  if (iso) iso.log.write(r.text + '\n');
  else hostLog?.write(r.text + '\n');
}

/** Marks an isolate ended in its status.json and forgets it. */
function finish(iso: Isolate, state: 'exited' | 'failed', reason?: string): void {
  if (iso.timer) clearTimeout(iso.timer);
  iso.front?.close();
  for (const c of iso.conns) c.destroy();
  isolates.delete(iso.id);
  byKey.delete(iso.logKey);
  try {
    iso.log.close();
  } catch {
    // Already closed.
  }
  rmSync(iso.runDir, { recursive: true, force: true });
  Object.assign(iso.status, { state, endedAt: new Date().toISOString(), exitCode: state === 'exited' ? 0 : null, signal: null, cleaned: true, ...(reason ? { reason } : {}) });
  if (existsSync(iso.dir)) writeStatus(iso.dir, iso.status);
}

async function remove(id: string, reason?: string): Promise<HostAnswer> {
  const iso = isolates.get(id);
  if (!iso) return { ok: true };
  if (reason) note(`${id}: ${reason}`);
  if (!workerdExited) {
    await controlRequest(P.workerdControl, 'DELETE', `/isolates/${encodeURIComponent(id)}`).catch((err: Error) => note(`${id}: remove: ${err.message}`));
  }
  finish(iso, 'exited', reason);
  // The host never outlives its sandboxes. Closing starts now, before anything else is taken.
  if (isolates.size === 0 && !closing) {
    void shutdown('its last isolate went away');
    return { ok: true, leaving: true };
  }
  return { ok: true };
}

async function add(req: Extract<HostRequest, { type: 'add' }>): Promise<HostAnswer> {
  if (closing) return { ok: false, error: 'the isolate host is leaving', closing: true };
  if (isolates.has(req.id)) return { ok: false, error: `${req.id} is already in this host` };
  const iso: Isolate = {
    id: req.id,
    dir: req.dir,
    runDir: req.runDir,
    logKey: req.logKey,
    ownerPid: req.ownerPid,
    log: new CappedLog(path.join(req.dir, FILES.log)),
    conns: new Set(),
    status: { state: 'starting', monitorPid: process.pid, monitorStart: MONITOR_START, pid: workerd?.pid, pidStart: WORKERD_START, bootId: bootId(), startedAt: req.startedAt },
  };
  isolates.set(req.id, iso);
  byKey.set(req.logKey, iso);
  let port: number;
  try {
    port = await openFront(iso);
  } catch (err) {
    finish(iso, 'failed', `no port for it: ${(err as Error).message}`);
    if (isolates.size === 0) void shutdown('its only isolate got no port');
    return { ok: false, error: iso.status.reason ?? 'no port' };
  }
  const r = await controlRequest(P.workerdControl, 'PUT', `/isolates/${encodeURIComponent(req.id)}`, { port, code: req.code }).catch((err: Error) => ({ status: 0, json: err.message }));
  if (closing || !isolates.has(req.id)) {
    // The host began to leave while this one was being added: the engine starts another.
    if (isolates.has(req.id)) finish(iso, 'failed', 'the isolate host was leaving');
    return { ok: false, error: 'the isolate host is leaving', closing: true };
  }
  if (r.status !== 200) {
    const body = r.json as { error?: string; worker?: boolean } | string;
    const error = typeof body === 'object' && body?.error ? body.error : `the isolate host refused it: ${JSON.stringify(body)}`;
    finish(iso, 'failed', error);
    if (isolates.size === 0) void shutdown('its only isolate failed to load');
    return { ok: false, error, workerError: typeof body === 'object' && body?.worker === true };
  }
  Object.assign(iso.status, { state: 'running', readyAt: new Date().toISOString() });
  writeStatus(iso.dir, iso.status);
  if (req.timeoutMs) iso.timer = setTimeout(() => void remove(req.id, `timed out after ${req.timeoutMs} ms`), req.timeoutMs);
  return { ok: true, port };
}

/** Listens on a free 127.0.0.1 port and pipes each connection, untouched, to workerd's socket. */
function openFront(iso: Isolate): Promise<number> {
  const front = net.createServer((client) => {
    iso.conns.add(client);
    const upstream = net.connect(workerdPort, '127.0.0.1');
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      iso.conns.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  iso.front = front;
  return new Promise((resolve, reject) => {
    front.once('error', reject);
    front.listen(0, '127.0.0.1', () => resolve((front.address() as net.AddressInfo).port));
  });
}

async function stats(id: string): Promise<HostAnswer> {
  if (!isolates.has(id)) return { ok: false, error: `${id} is not in this host` };
  const r = await controlRequest(P.workerdControl, 'GET', `/isolates/${encodeURIComponent(id)}`);
  return r.status === 200 ? { ok: true, stats: { ...(r.json as Record<string, unknown>), isolatesInHost: isolates.size } } : { ok: false, error: JSON.stringify(r.json) };
}

async function handle(req: HostRequest): Promise<HostAnswer> {
  switch (req.type) {
    case 'add':
      return add(req);
    case 'remove':
      return remove(req.id, req.reason);
    case 'stats':
      return stats(req.id);
    case 'list':
      return { ok: true, isolates: [...isolates.keys()] };
    default:
      return { ok: false, error: 'unknown request' };
  }
}

function serve(socket: net.Socket): void {
  let buf = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buf += chunk;
    const nl = buf.indexOf('\n');
    if (nl < 0) return;
    let req: HostRequest;
    try {
      req = JSON.parse(buf.slice(0, nl)) as HostRequest;
    } catch {
      socket.end(JSON.stringify({ ok: false, error: 'bad request' }) + '\n');
      return;
    }
    handle(req).then(
      (a) => socket.end(JSON.stringify(a) + '\n'),
      (err: Error) => socket.end(JSON.stringify({ ok: false, error: err.message }) + '\n'),
    );
  });
  socket.on('error', () => undefined);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

async function stopWorkerd(): Promise<void> {
  const pid = workerd?.pid;
  if (!pid || workerdExited) return;
  killGroup(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_WAIT_MS;
  while (!workerdExited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  if (!workerdExited) {
    note('workerd did not stop on SIGTERM: SIGKILL');
    killGroup(pid, 'SIGKILL');
    while (isAlive(pid) && Date.now() < deadline + STOP_WAIT_MS) await new Promise((r) => setTimeout(r, 10));
  }
}

function shutdown(reason: string, failed = false): Promise<never> {
  closing ??= (async () => {
    note(`leaving: ${reason}`);
    server?.close();
    for (const iso of [...isolates.values()]) finish(iso, failed ? 'failed' : 'exited', `the isolate host stopped: ${reason}`);
    await stopWorkerd();
    hostLog?.close();
    // Sockets first, host.json last: a successor starts only once host.json is gone (or names
    // a dead process), so it never finds its fresh sockets removed by its predecessor.
    rmSync(P.runDir, { recursive: true, force: true });
    for (const f of ['config.capnp', HOST_MODULE]) rmSync(path.join(P.dir, f), { force: true });
    if (readJson<HostInfo>(P.info)?.pid === process.pid) rmSync(P.info, { force: true });
    process.exit(failed ? 1 : 0);
  })();
  return closing;
}

async function main(): Promise<void> {
  mkdirSync(P.dir, { recursive: true });
  mkdirSync(P.runDir, { recursive: true, mode: 0o700 });
  for (const f of [P.socket, P.workerdControl]) if (existsSync(f)) unlinkSync(f);
  hostLog = new CappedLog(path.join(P.dir, FILES.log));
  const port = await freePort();
  workerdPort = port;
  const config = path.join(P.dir, 'config.capnp');
  writeFileSync(path.join(P.dir, HOST_MODULE), HOST_WORKER_JS);
  writeFileSync(config, hostConfig({ port, controlSocket: P.workerdControl, moduleName: HOST_MODULE }));
  // Own process group: a terminal's signals never reach it, and a tear-down kills all of it.
  const child = spawn(launch.workerd, ['serve', '--experimental', config], { cwd: P.dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  workerd = child;
  child.on('error', (err) => {
    workerdExited = true;
    note(`workerd could not start: ${err.message}`);
  });
  child.on('exit', (code, signal) => {
    workerdExited = true;
    if (!closing) void shutdown(`workerd exited (code ${code}${signal ? `, ${signal}` : ''})`, true);
  });
  const demux = new LineDemux(route);
  child.stdout?.on('data', (d: Buffer) => demux.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => hostLog?.write(d));
  await waitControl(P.workerdControl, 15_000, () => !workerdExited);
  server = net.createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject);
    server!.listen(P.socket, () => resolve());
  });
  WORKERD_START = startTime(child.pid!);
  const info: HostInfo = {
    pid: process.pid,
    start: MONITOR_START,
    workerdPid: child.pid!,
    workerdStart: WORKERD_START,
    boot: bootId(),
    port,
    socket: P.socket,
    startedAt: new Date().toISOString(),
    workerdVersion: launch.workerdVersion,
  };
  writeJsonAtomic(P.info, info);
  note(`up: workerd ${child.pid} on 127.0.0.1:${port}`);
  if (process.connected) process.send?.({ type: 'ready', info });

  // Owners that went away take their isolates with them (as a monitor does for a cold sandbox),
  // and so does a tear-down that couldn't reach this host (a CLI killed mid-launch, then
  // `down --all`): the sandbox's state directory is gone, so nothing may keep serving it.
  setInterval(() => {
    for (const iso of [...isolates.values()]) {
      if (iso.ownerPid && !isAlive(iso.ownerPid)) void remove(iso.id, `owner process ${iso.ownerPid} went away`);
      else if (!existsSync(iso.dir)) void remove(iso.id, 'its sandbox was torn down');
    }
  }, 1000);
  // Started for an isolate that never came (its engine died): don't linger.
  setTimeout(() => {
    if (isolates.size === 0) void shutdown('no isolate was added');
  }, launch.idleExitMs ?? DEFAULT_IDLE_EXIT_MS);
}

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => void shutdown(`${sig} received`));
// The engine that started it may go away at once; the host keeps serving.
process.on('disconnect', () => undefined);
main().catch((err: Error) => {
  note(`failed: ${err.message}`);
  if (process.connected) process.send?.({ type: 'failed', reason: err.message });
  void shutdown(`start-up failed: ${err.message}`, true);
});
