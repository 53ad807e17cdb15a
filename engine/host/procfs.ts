// Process facts from /proc: liveness, start time (to tell a reused pid from ours), and the
// memory and CPU time of a process tree (a runtime's children hold the sandbox: runc's init,
// runsc's sentry and gofer, a VMM's threads).
import { readFileSync, readdirSync } from 'node:fs';

/** Alive and not a zombie (an exited child whose parent, often a slow init, has not reaped it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const st = readStat(pid);
  return st === undefined ? existsSyncSafe(pid) : st.state !== 'Z' && st.state !== 'X';
}

function existsSyncSafe(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/status`);
    return true;
  } catch {
    return false;
  }
}

interface Stat {
  pid: number;
  ppid: number;
  state: string;
  utime: number;
  stime: number;
  starttime: number;
  rssPages: number;
}

/** Parses /proc/<pid>/stat (the command name may hold spaces and parentheses). */
export function parseStat(text: string): Stat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  const f = text.slice(close + 2).trim().split(/\s+/);
  // f[0] is field 3 (state); field N is f[N - 3].
  return { pid, state: f[0], ppid: Number(f[1]), utime: Number(f[11]), stime: Number(f[12]), starttime: Number(f[19]), rssPages: Number(f[21]) };
}

export function readStat(pid: number): Stat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

export function startTime(pid: number): number | undefined {
  return readStat(pid)?.starttime;
}

/** True when `pid` is alive and (if given) started at `start`: the same process, not a reuse. */
export function isSameProcess(pid: number | undefined, start: number | undefined): boolean {
  if (!pid || !isAlive(pid)) return false;
  if (start === undefined) return true;
  const now = startTime(pid);
  return now === undefined || now === start;
}

function allStats(): Stat[] {
  const out: Stat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s && s.state !== 'Z') out.push(s);
  }
  return out;
}

/** `root` and all its live descendants. */
export function processTree(root: number, stats: Stat[] = allStats()): Stat[] {
  const byParent = new Map<number, Stat[]>();
  for (const s of stats) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  const out: Stat[] = [];
  const self = stats.find((s) => s.pid === root);
  const queue = self ? [self] : [];
  while (queue.length) {
    const s = queue.shift()!;
    out.push(s);
    queue.push(...(byParent.get(s.pid) ?? []));
  }
  return out;
}

const PAGE = 4096;
const HZ = 100;

export interface Usage {
  memoryBytes: number;
  cpuSeconds: number;
  pids: number[];
}

export function treeUsage(root: number): Usage {
  const tree = processTree(root);
  return {
    memoryBytes: tree.reduce((n, s) => n + s.rssPages * PAGE, 0),
    cpuSeconds: tree.reduce((n, s) => n + (s.utime + s.stime) / HZ, 0),
    pids: tree.map((s) => s.pid),
  };
}

/** CPU use of a tree over a short sample, in percent of one core. */
export async function sampleCpuPercent(root: number, ms = 200): Promise<number> {
  const a = treeUsage(root).cpuSeconds;
  await new Promise((r) => setTimeout(r, ms));
  const b = treeUsage(root).cpuSeconds;
  return Math.max(0, ((b - a) / (ms / 1000)) * 100);
}
