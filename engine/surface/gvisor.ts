// gVisor level: the workload's syscalls go to the Sentry, a kernel in user space; only the
// Sentry's own seccomp filter bounds what reaches the host kernel. Measured from the running
// Sentry (capabilities, namespaces, Seccomp field, device files it holds) and from runsc itself:
// `runsc help syscalls` lists what the Sentry implements, and a probe sandbox with the same
// runsc, platform and network flags logs the host filter it installs (cached per version).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { processTree } from '../host/procfs';
import { runCommand } from '../runner';
import { runscCommand } from '../drivers/runsc';
import type { AttackSurface } from './types';
import type { SurfaceTarget } from './target';
import { hostSyscallTable } from './syscall-table';
import { devNodes, openDeviceFiles, processFacts } from './host-process';
import { readCmdline } from './proc-status';
import { settle } from './settle';

export interface SentrySyscalls {
  full: number;
  partial: number;
  of: number;
}

/** `runsc help syscalls -format=csv`: OS,Arch,Num,Name,Support,Note rows; amd64 only. */
export function parseRunscSyscalls(csv: string): SentrySyscalls {
  let full = 0;
  let partial = 0;
  let of = 0;
  for (const line of csv.split('\n')) {
    const f = line.split(',');
    if (f[0] !== 'linux' || f[1] !== 'amd64') continue;
    of++;
    if (f[4] === 'Full Support') full++;
    else if (f[4] === 'Partial Support') partial++;
  }
  if (!of) throw new Error('runsc listed no amd64 syscalls');
  return { full, partial, of };
}

/** The count in runsc's debug log line "Installing seccomp filters for N syscalls". */
export function parseFilterLog(log: string): number | undefined {
  const m = /Installing seccomp filters for (\d+) syscalls/.exec(log);
  return m ? Number(m[1]) : undefined;
}

/** Sentry and gofer processes under the runtime process (their argv[0] says which). */
export function runscProcesses(runtimePid: number): { sentry?: number; gofer?: number } {
  const out: { sentry?: number; gofer?: number } = {};
  for (const s of processTree(runtimePid)) {
    const argv0 = readCmdline(s.pid)[0];
    if (argv0 === 'runsc-sandbox' && out.sentry === undefined) out.sentry = s.pid;
    if (argv0 === 'runsc-gofer' && out.gofer === undefined) out.gofer = s.pid;
  }
  return out;
}

async function cached<T>(file: string, make: () => Promise<T>): Promise<T> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    const v = await make();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(v));
    return v;
  }
}

/** Global flags that shape the Sentry's filter (platform, network, rootless), without --root. */
function filterFlags(global: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < global.length; i++) {
    if (global[i] === '--root') {
      i++;
      continue;
    }
    if (global[i].startsWith('--root=')) continue;
    out.push(global[i]);
  }
  return out;
}

async function probeFilter(bin: string, flags: string[], env: Record<string, string> | undefined): Promise<{ sentry: number; gofer?: number }> {
  const dir = mkdtempSync(path.join(env?.TMPDIR ?? '/tmp', 'surface-'));
  try {
    const logs = path.join(dir, 'logs') + path.sep;
    mkdirSync(logs);
    const r = await runCommand(
      { command: bin, args: ['--root', path.join(dir, 'root'), ...flags.filter((f) => !f.startsWith('--oci-seccomp')), '--debug', `--debug-log=${logs}`, 'do', 'true'], env },
      { timeoutMs: 30_000 },
    );
    const read = (kind: string) => {
      const f = readdirSync(logs).find((n) => n.endsWith(`.${kind}.txt`));
      return f ? parseFilterLog(readFileSync(path.join(logs, f), 'utf8')) : undefined;
    };
    const sentry = read('boot');
    if (sentry === undefined) throw new Error(`the probe sandbox logged no Sentry filter (exit ${r.exitCode}: ${r.stderr.trim().slice(0, 200)})`);
    return { sentry, gofer: read('gofer') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function gvisorSurface(t: SurfaceTarget): Promise<Omit<AttackSurface, 'verdict'>> {
  const notes: string[] = [];
  // Right after launch runsc may not have started its Sentry and gofer yet.
  const { sentry, gofer } = (await settle(() => { const p = runscProcesses(t.pid); return p.sentry && p.gofer ? p : undefined; })) ?? runscProcesses(t.pid);
  if (!sentry) throw new Error(`no Sentry (runsc-sandbox) process runs under ${t.id}'s runtime`);
  const { bin, global } = runscCommand(t.plan);
  const env = t.plan.process.env;
  const version = t.plan.runtimeVersion ?? 'unknown';
  const platform = String(t.plan.extra?.platform ?? '?');
  const key = `${version}`.replace(/[^A-Za-z0-9._-]/g, '_');
  const dir = path.join(t.cacheDir, 'surface');
  const implemented = await cached(path.join(dir, `runsc-syscalls-${key}.json`), async () => {
    const r = await runCommand({ command: bin, args: ['help', 'syscalls', '-format=csv'] }, { timeoutMs: 15_000 });
    return parseRunscSyscalls(r.stdout);
  });
  const flags = filterFlags(global);
  const flagKey = flags.join('_').replace(/[^A-Za-z0-9=._-]/g, '');
  let filter: { sentry: number; gofer?: number } | undefined;
  try {
    filter = await cached(path.join(dir, `runsc-filter-${key}-${flagKey}.json`), () => probeFilter(bin, flags, env));
  } catch (e) {
    notes.push(`the Sentry's host filter could not be measured: ${(e as Error).message}`);
  }
  const facts = processFacts(sentry);
  if (facts.status.seccomp !== 2) notes.push(`the Sentry runs without a seccomp filter (Seccomp: ${facts.status.seccomp})`);
  const table = hostSyscallTable();
  const goferFacts = gofer ? processFacts(gofer) : undefined;
  return {
    id: t.id,
    isolation: t.isolation,
    runtime: t.runtime,
    kernel: { kind: 'sentry', release: version, platform, source: 'runsc --version; the platform the Sentry was started with' },
    syscalls: {
      // Every syscall of the workload is served by the Sentry; none reaches the host directly.
      reachable: 0,
      of: table.names.length,
      source: 'the workload\'s syscalls are trapped by the Sentry (platform ' + platform + ')',
      implemented: { ...implemented, source: 'runsc help syscalls (amd64)' },
      ...(filter && facts.status.seccomp === 2
        ? { host: { reachable: filter.sentry, of: table.names.length, source: `the Sentry's own seccomp filter (${filter.sentry} syscalls${filter.gofer !== undefined ? `; the gofer's: ${filter.gofer}` : ''}), logged by a probe sandbox with the same runsc flags` } }
        : {}),
    },
    // The workload's /dev is the Sentry's emulation; these are the host's device files it can use.
    devices: [...new Set([...devNodes(sentry), ...openDeviceFiles(sentry)])].sort(),
    capabilities: facts.capabilities,
    namespaces: facts.namespaces,
    // Host filesystems the workload writes through the gofer; the Sentry's own tmpfs mounts live in its memory.
    writableMounts: goferFacts ? goferFacts.writableMounts : [],
    measured: { pid: sentry, what: 'the Sentry (runsc-sandbox)' },
    ...(notes.length ? { notes } : {}),
  };
}
