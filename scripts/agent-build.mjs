// Compiles the guest agent (engine/vm/agent/agent.c) into a static binary with the host's own
// compiler: musl-gcc from Debian's musl-tools, else gcc -static against glibc. Nothing is
// downloaded. The result is cached by source hash and compiler in the per-user cache, then copied
// to dist/spectrum-agent, where the engine finds it and the .vsix ships it (users need no compiler).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const AGENT_SOURCE = path.join(root, 'engine', 'vm', 'agent', 'agent.c');
export const AGENT_OUTPUT = path.join('dist', 'spectrum-agent');

const COMPILERS = [
  { cc: 'musl-gcc', args: ['-static', '-Os', '-s', '-Wall', '-Wextra', '-Werror'] },
  { cc: 'gcc', args: ['-static', '-Os', '-s', '-Wall', '-Wextra', '-Werror'] },
];

function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'isolation-spectrum', 'agent');
}

function compilerVersion(cc) {
  const r = spawnSync(cc, ['-dumpfullversion', '-dumpversion'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Builds (or takes from the cache) the agent and copies it to `outdir`/dist/spectrum-agent.
 * Returns its path, or undefined with a warning when the host has no C compiler: VMs then run
 * without an agent (no exec or cp into them), and inspect says why.
 */
export function buildAgent({ outdir = root, log = (m) => console.warn(`[build] ${m}`) } = {}) {
  const source = readFileSync(AGENT_SOURCE);
  const out = path.join(outdir, AGENT_OUTPUT);
  mkdirSync(path.dirname(out), { recursive: true });
  for (const c of COMPILERS) {
    const version = compilerVersion(c.cc);
    if (!version) continue;
    const key = createHash('sha256').update(source).update(`\0${c.cc}\0${version}\0${c.args.join(' ')}`).digest('hex').slice(0, 16);
    const cached = path.join(cacheDir(), `spectrum-agent-${key}`);
    if (!existsSync(cached)) {
      mkdirSync(cacheDir(), { recursive: true });
      const tmp = `${cached}.tmp-${process.pid}`;
      const r = spawnSync(c.cc, [...c.args, '-o', tmp, AGENT_SOURCE], { encoding: 'utf8' });
      if (r.status !== 0) {
        log(`${c.cc} could not build the guest agent:\n${r.stderr.trim()}`);
        continue;
      }
      renameSync(tmp, cached);
    }
    copyFileSync(cached, out);
    return out;
  }
  log('no C compiler (musl-gcc or gcc with static libc) for the guest agent: microVMs and VMs get no exec or cp. apt-get install musl-tools');
  return undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const p = buildAgent();
  if (!p) process.exit(1);
  console.log(p);
}
