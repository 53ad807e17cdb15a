// The `spectrum` CLI with the same state and runtime folders as the tier's extension hosts, so a
// test can check from outside what the UI did (and clean up after a failure).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths';
import type { TierServer } from './server';

const run = promisify(execFile);

export interface PsRow {
  id: string;
  name: string;
  isolation: string;
  state: string;
  owner: string;
}

export function cli(server: TierServer) {
  const env = { ...process.env, XDG_STATE_HOME: server.stateHome, TMPDIR: server.tmpDir || process.env.TMPDIR };
  const exec = async (...args: string[]) => (await run(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], { env, timeout: 60_000 })).stdout;
  return {
    exec,
    async ps(): Promise<PsRow[]> {
      return JSON.parse(await exec('ps', '--json')) as PsRow[];
    },
    downAll: () => exec('down', '--all').catch(() => ''),
  };
}
