// What a sandbox world still holds after a tear-down, each kind counted: the world's own list
// (processes, mounts, state and runtime folders, cgroups) plus unix sockets under its root,
// listening TCP sockets of its processes, temp files named after its sandboxes and dot-named
// state entries (locks, staging folders). Shared by the crash, fault and soak suites, so "clean"
// means the same thing in each.
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The part of a test's sandbox world these checks read (test/integration/engine/sandbox-env). */
export interface LeftoverWorld {
  root: string;
  ids: Set<string>;
  leftovers(): { processes: string[]; mounts: string[]; sandboxes: string[]; runtime: string[]; cgroups: string[] };
}

export type Leftovers = Record<'processes' | 'mounts' | 'sandboxes' | 'runtime' | 'cgroups' | 'sockets' | 'listeners' | 'temp', string[]>;

export const NO_LEFTOVERS: Leftovers = { processes: [], mounts: [], sandboxes: [], runtime: [], cgroups: [], sockets: [], listeners: [], temp: [] };

/** Inodes of TCP sockets in LISTEN state (state 0A in /proc/net/tcp{,6}). */
function listeningInodes(): Set<string> {
  const out = new Set<string>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(f)) continue;
    for (const line of readFileSync(f, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A') out.add(cols[9]);
    }
  }
  return out;
}

function listenersOf(pids: number[]): string[] {
  const listening = listeningInodes();
  const out: string[] = [];
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone while looking
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && listening.has(m[1])) out.push(`${pid}: socket ${m[1]}`);
      } catch {
        // Closed while looking.
      }
    }
  }
  return out;
}

/** Everything of `world` still there; `ids` (sandboxes the test launched) are added to its set. */
export function countLeftovers(world: LeftoverWorld, ids: Iterable<string> = []): Leftovers {
  for (const id of ids) world.ids.add(id);
  const l = world.leftovers();
  const sockets = readFileSync('/proc/net/unix', 'utf8').split('\n').filter((line) => line.includes(world.root));
  const temp = readdirSync(os.tmpdir()).filter((n) => [...world.ids].some((id) => n.includes(id)));
  // Dot-names too (locks, staging folders): only the change stamp may stay.
  const dir = path.join(world.root, 'state', 'isolation-spectrum', 'sandboxes');
  const sandboxes = existsSync(dir) ? readdirSync(dir).filter((n) => n !== '.changed') : [];
  const listeners = listenersOf(l.processes.map((p) => Number(p.split(':')[0])));
  return { ...l, sandboxes, sockets, listeners, temp };
}

/**
 * The leftovers once they stop shrinking: a monitor may still be finishing its own tear-down
 * when the command that asked for it returns. Gives up after `ms`.
 */
export async function settledLeftovers(world: LeftoverWorld, ids: Iterable<string> = [], ms = 5000): Promise<Leftovers> {
  const deadline = Date.now() + ms;
  let left = countLeftovers(world, ids);
  while (Object.values(left).some((v) => v.length) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = countLeftovers(world);
  }
  return left;
}

/** One line for a test's log: `processes=0 mounts=0 ...`. */
export function leftoverCounts(left: Leftovers): string {
  return Object.entries(left).map(([k, v]) => `${k}=${v.length}`).join(' ');
}
