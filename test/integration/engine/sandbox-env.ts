// A private engine world for one integration test file: its own XDG state/cache/runtime dirs in
// a temp folder, the built monitor and CLI, and a check that nothing is left behind (processes,
// mounts, cgroups, state and runtime directories) after `down --all`.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../../../engine/api';
import { privateEngineEnv } from '../../helpers/engine-env';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

let built = false;
/** Builds the bundles once per test process (the CLI and monitor under test are the real ones). */
export function ensureBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

export interface SandboxWorld {
  root: string;
  env: NodeJS.ProcessEnv;
  engine: Engine;
  /** Runs `spectrum ...` with this world's env. */
  cli(args: string[], opts?: { timeoutMs?: number }): SpawnSyncReturns<string>;
  write(name: string, text: string): string;
  /** Everything of this world still present; all lists empty means clean. */
  leftovers(): { processes: string[]; mounts: string[]; sandboxes: string[]; runtime: string[]; cgroups: string[] };
  ids: Set<string>;
  close(): Promise<void>;
}

export function sandboxWorld(): SandboxWorld {
  ensureBuilt();
  const root = mkdtempSync(path.join(os.tmpdir(), 'spectrum-it-'));
  const env = privateEngineEnv(root);
  const engine = createEngine({ env, prewarm: false });
  const ids = new Set<string>();
  const world: SandboxWorld = {
    root,
    env,
    engine,
    ids,
    cli(args, opts = {}) {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, env, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000 });
      for (const m of (r.stdout ?? '').matchAll(/\b([a-z0-9_.-]+-[0-9a-f]{6})\b/g)) ids.add(m[1]);
      return r;
    },
    write(name, text) {
      const p = path.join(root, name);
      writeFileSync(p, text);
      return p;
    },
    leftovers() {
      const processes: string[] = [];
      for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
        if (Number(pid) === process.pid) continue;
        try {
          const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
          const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
          if (environ.includes(root) || cmdline.includes(root)) processes.push(`${pid}: ${cmdline.trim()}`);
        } catch {
          // Gone while looking, or a kernel thread.
        }
      }
      const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').filter((l) => l.includes(root));
      const list = (d: string) => (existsSync(d) ? readdirSync(d).filter((n) => !n.startsWith('.')) : []);
      const cgroups: string[] = [];
      for (const ctl of ['pids', 'memory', 'cpu,cpuacct', 'unified']) {
        for (const id of ids) if (existsSync(path.join('/sys/fs/cgroup', ctl, id))) cgroups.push(`${ctl}/${id}`);
      }
      return {
        processes,
        mounts,
        sandboxes: list(path.join(root, 'state', 'isolation-spectrum', 'sandboxes')),
        runtime: list(path.join(root, 'run', 'isolation-spectrum')),
        cgroups,
      };
    },
    async close() {
      try {
        await engine.downAll();
      } finally {
        engine.dispose();
        // Monitors of sandboxes something else tore down (an MCP server's, a killed CLI's) may
        // still be exiting, and write their last file (the code cache) on the way out.
        for (let deadline = Date.now() + 15_000; world.leftovers().processes.length && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
        rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      }
    },
  };
  return world;
}

export function emptyLeftovers() {
  return { processes: [], mounts: [], sandboxes: [], runtime: [], cgroups: [] };
}
