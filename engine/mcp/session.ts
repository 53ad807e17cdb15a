// One agent's sandboxes: what the MCP server and the VS Code language-model tools both call. It
// holds no sandbox logic of its own (the engine does); it enforces the policy, keeps the agent to
// the sandboxes it created, tears each down past its lifetime, and everything down on close.
// Sandboxes get the owner `agent:...`: not `cli`, so the engine's monitors also tear them down
// when this process goes away for any reason (a crash included).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Engine, SandboxInfo } from '../api';
import { EngineError } from '../errors';
import { execWithTimeout } from './exec-timeout';
import { capText, DEFAULT_OUTPUT_CAP } from './output';
import { loadPolicyFile } from './policy-file';
import { planCreate, READY_MARKER, type CreateRequest } from './policy-check';
import type { AgentPolicy } from './policy';

export const AGENT_OWNER_PREFIX = 'agent:';

export interface SessionOptions {
  engine: Engine;
  /** The owner recorded on every sandbox, `agent:<who>`. */
  owner: string;
  policyFile: string;
  /** Told when a sandbox goes past its lifetime (for logs). */
  onNote?: (s: string) => void;
}

export interface RunRequest {
  sandbox: string;
  argv?: string[];
  shell?: string;
  timeout_ms?: number;
  max_output_bytes?: number;
}

export interface AgentSandbox {
  id: string;
  name: string;
  level: string;
  runtime: string;
  image?: string;
  network: string;
  state: string;
  createdAt: string;
  expiresAt: string;
}

interface Tracked {
  id: string;
  createdAt: Date;
  deadline: number;
  timer: NodeJS.Timeout;
  image?: string;
}

const READY_TIMEOUT_MS: Record<string, number> = { container: 30_000, gvisor: 30_000, microvm: 180_000, vm: 180_000 };

export class AgentSession {
  private readonly tracked = new Map<string, Tracked>();
  private pending = 0;
  private closed = false;

  constructor(private readonly o: SessionOptions) {
    if (!o.owner.startsWith(AGENT_OWNER_PREFIX)) throw new Error(`an agent session's owner starts with ${AGENT_OWNER_PREFIX}`);
  }

  get owner(): string {
    return this.o.owner;
  }

  /** The policy as it is now on disk (the defaults without a file); throws if the file is invalid. */
  policy(): AgentPolicy {
    const loaded = loadPolicyFile(this.o.policyFile);
    if (loaded.error) throw new EngineError(loaded.error);
    return loaded.policy;
  }

  async create(req: CreateRequest): Promise<AgentSandbox> {
    this.open();
    const plan = planCreate(req, this.policy(), { policyFile: this.o.policyFile, live: this.tracked.size + this.pending });
    this.pending++;
    let info: SandboxInfo | undefined;
    try {
      info = await this.o.engine.upSpec(plan.spec, { owner: this.o.owner });
      await this.waitReady(info.id, READY_TIMEOUT_MS[plan.spec.isolation] ?? 30_000);
    } catch (err) {
      if (info) await this.o.engine.down(info.id).catch(() => undefined);
      throw err;
    } finally {
      this.pending--;
    }
    const t = this.track(info.id, new Date(), Date.now() + plan.lifetimeMs, plan.spec.image);
    if (this.closed) {
      await this.destroy(info.id);
      throw new EngineError('the agent session closed while the sandbox started; it was torn down');
    }
    return this.describe(info, t);
  }

  async run(req: RunRequest): Promise<{ exitCode: number; stdout: string; stderr: string; truncated: boolean; durationMs: number }> {
    const id = this.own(req.sandbox);
    if ((req.argv === undefined) === (req.shell === undefined)) throw new EngineError('give exactly one of argv (a command as an array) or shell (a string run by /bin/sh -c inside the sandbox)');
    if (req.argv && !req.argv.length) throw new EngineError('argv is empty');
    const command = req.argv ?? ['/bin/sh', '-c', req.shell!];
    const cap = req.max_output_bytes ?? DEFAULT_OUTPUT_CAP;
    const t0 = performance.now();
    const r = await execWithTimeout(this.o.engine, id, command, req.timeout_ms ?? 60_000);
    const stdout = capText(r.stdout, cap);
    const stderr = capText(r.stderr, cap);
    return { exitCode: r.exitCode, stdout: stdout.text, stderr: stderr.text, truncated: stdout.truncated || stderr.truncated, durationMs: Math.round(performance.now() - t0) };
  }

  async writeFile(req: { sandbox: string; path: string; content: string; encoding?: 'utf8' | 'base64'; mode?: number }): Promise<{ path: string; bytes: number }> {
    const id = this.own(req.sandbox);
    const target = sandboxPath(req.path);
    const data = Buffer.from(req.content, req.encoding ?? 'utf8');
    return this.withTemp(async (dir) => {
      const file = path.join(dir, path.posix.basename(target) || 'file');
      writeFileSync(file, data, { mode: req.mode ?? 0o644 });
      const r = await this.o.engine.copyIn(id, file, target);
      return { path: r.path, bytes: data.length };
    });
  }

  async readFile(req: { sandbox: string; path: string; encoding?: 'utf8' | 'base64'; max_bytes?: number }): Promise<{ path: string; content: string; bytes: number; truncated: boolean }> {
    const id = this.own(req.sandbox);
    const source = sandboxPath(req.path);
    const cap = req.max_bytes ?? DEFAULT_OUTPUT_CAP * 4;
    return this.withTemp(async (dir) => {
      const dest = path.join(dir, 'out');
      await this.o.engine.copyOut(id, source, dest);
      if (!statSync(dest).isFile()) throw new EngineError(`${source} is not a regular file (list a folder with run_command)`);
      const data = readFileSync(dest);
      const cut = data.subarray(0, cap);
      const content = (req.encoding ?? 'utf8') === 'base64' ? cut.toString('base64') : capText(data.toString('utf8'), cap).text;
      return { path: source, content, bytes: data.length, truncated: data.length > cap };
    });
  }

  async list(): Promise<AgentSandbox[]> {
    const all = await this.o.engine.ps();
    return all.filter((s) => this.tracked.has(s.id)).map((s) => this.describe(s, this.tracked.get(s.id)!));
  }

  async destroy(sandbox: string): Promise<{ destroyed: string[] }> {
    const id = this.own(sandbox);
    this.untrack(id);
    return { destroyed: await this.o.engine.down(id) };
  }

  /** Saves the sandbox's state; where the level's checkpoint stops the source, it continues as a restored sandbox. */
  async snapshot(sandbox: string, name?: string): Promise<{ snapshot: string; sandbox: string; note?: string }> {
    const id = this.own(sandbox);
    const t = this.tracked.get(id)!;
    const snap = await this.o.engine.snapshot(id, { name });
    const still = (await this.o.engine.ps()).some((s) => s.id === id && s.state === 'running');
    if (still) return { snapshot: snap.name, sandbox: id };
    this.untrack(id);
    const restored = await this.restoreTracked(snap.name, t, `the snapshot ${snap.name} is saved, but the sandbox did not come back from it`);
    return { snapshot: snap.name, sandbox: restored.id, note: `${t.id}'s level stops a sandbox to snapshot it: it continues as ${restored.id}` };
  }

  /** A second sandbox where this one is now (through a snapshot, deleted afterwards). */
  async fork(sandbox: string): Promise<{ sandbox: string; fork: string; note?: string }> {
    const id = this.own(sandbox);
    const t = this.tracked.get(id)!;
    const policy = this.policy();
    if (this.tracked.size + this.pending >= policy.maxSandboxes) {
      throw new EngineError(`refused by the agent policy: a fork would make ${this.tracked.size + this.pending + 1} sandboxes, above maxSandboxes ${policy.maxSandboxes} (${this.o.policyFile})`, [], 'destroy one first');
    }
    this.pending++;
    try {
      const level = (await this.o.engine.ps()).find((x) => x.id === id)?.isolation;
      if (level === 'microvm' || level === 'vm') {
        // The engine forks VMs itself (one snapshot, restored; the source goes on).
        const [copy] = await this.o.engine.fork(id, { count: 1, owner: this.o.owner });
        this.track(copy.id, new Date(), Date.now() + policy.maxLifetimeMs, t.image);
        return { sandbox: id, fork: copy.id };
      }
      const snapName = `agent-fork-${randomBytes(4).toString('hex')}`;
      const snap = await this.o.engine.snapshot(id, { name: snapName });
      try {
        let source = id;
        let note: string | undefined;
        if (!(await this.o.engine.ps()).some((s) => s.id === id && s.state === 'running')) {
          this.untrack(id);
          source = (await this.restoreTracked(snap.name, t, `${id} was stopped by its level's checkpoint and did not come back`)).id;
          note = `${id}'s level stops a sandbox to snapshot it: it continues as ${source}`;
        }
        const fork = await this.restoreTracked(snap.name, { ...t, createdAt: new Date(), deadline: Date.now() + policy.maxLifetimeMs }, 'the fork did not start');
        return { sandbox: source, fork: fork.id, ...(note ? { note } : {}) };
      } finally {
        await this.o.engine.deleteSnapshot(snap.name).catch(() => undefined);
      }
    } finally {
      this.pending--;
    }
  }

  async logs(sandbox: string, maxBytes = DEFAULT_OUTPUT_CAP): Promise<string> {
    const text = await this.o.engine.logs(this.own(sandbox));
    // The tail matters most: cut from the front.
    const buf = Buffer.from(text);
    return buf.length <= maxBytes ? text : `[spectrum: showing the last ${maxBytes} of ${buf.length} bytes]\n${buf.subarray(buf.length - maxBytes).toString()}`;
  }

  ids(): string[] {
    return [...this.tracked.keys()];
  }

  /** Tears down every sandbox of this session (and any a crashed predecessor with this owner left). */
  async close(): Promise<string[]> {
    this.closed = true;
    for (const id of [...this.tracked.keys()]) this.untrack(id);
    return this.o.engine.downAll({ owner: this.o.owner });
  }

  private open(): void {
    if (this.closed) throw new EngineError('the agent session is closed');
  }

  private own(idOrName: string): string {
    this.open();
    if (this.tracked.has(idOrName)) return idOrName;
    const named = [...this.tracked.keys()].filter((id) => id.replace(/-[0-9a-f]{6}$/, '') === idOrName);
    if (named.length === 1) return named[0];
    if (named.length > 1) throw new EngineError(`'${idOrName}' names ${named.length} of this agent's sandboxes (${named.join(', ')}): use an id`);
    throw new EngineError(`no sandbox '${idOrName}' among this agent's (${this.ids().join(', ') || 'none'}); agents reach only the sandboxes they created`);
  }

  private track(id: string, createdAt: Date, deadline: number, image?: string): Tracked {
    const timer = setTimeout(() => {
      this.o.onNote?.(`${id} reached the policy's maxLifetime: tearing it down`);
      this.untrack(id);
      void this.o.engine.down(id).catch(() => undefined);
    }, Math.max(0, deadline - Date.now()));
    timer.unref();
    const t = { id, createdAt, deadline, timer, image };
    this.tracked.set(id, t);
    return t;
  }

  private untrack(id: string): void {
    const t = this.tracked.get(id);
    if (t) clearTimeout(t.timer);
    this.tracked.delete(id);
  }

  private async restoreTracked(snapshot: string, like: Pick<Tracked, 'createdAt' | 'deadline' | 'image'>, why: string): Promise<SandboxInfo> {
    let info: SandboxInfo;
    try {
      info = await this.o.engine.restore(snapshot, { owner: this.o.owner });
    } catch (err) {
      throw new EngineError(`${why}: ${(err as Error).message}`);
    }
    this.track(info.id, like.createdAt, like.deadline, like.image);
    return info;
  }

  private async waitReady(id: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      const log = await this.o.engine.logs(id);
      if (log.includes(READY_MARKER)) return;
      const info = (await this.o.engine.ps()).find((s) => s.id === id);
      if (!info || info.state === 'exited' || info.state === 'failed') {
        throw new EngineError(`${id} ended before it was ready (exit code ${info?.exitCode ?? 'unknown'}; is /bin/sh in the image? is memory enough for the level?)${log.trim() ? `:\n${log.trim().split('\n').slice(-5).join('\n')}` : ''}`);
      }
      if (Date.now() > deadline) throw new EngineError(`${id} was not ready within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  private describe(s: SandboxInfo, t: Tracked): AgentSandbox {
    return {
      id: s.id,
      name: s.name,
      level: s.isolation,
      runtime: s.runtime,
      ...(t.image ? { image: t.image } : {}),
      network: s.network,
      state: s.state,
      createdAt: t.createdAt.toISOString(),
      expiresAt: new Date(t.deadline).toISOString(),
    };
  }

  private async withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-agent-'));
    try {
      return await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Paths inside a sandbox are absolute: a relative one would depend on the image's workdir. */
function sandboxPath(p: string): string {
  if (!p.startsWith('/')) throw new EngineError(`'${p}' is not an absolute path inside the sandbox (e.g. /tmp/main.py)`);
  return p;
}
