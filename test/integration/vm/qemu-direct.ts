// Boots a prepared VM by spawning QEMU directly with our argv builder (no engine, no monitor):
// the baseline the engine is compared with, and a check of the boot artefacts on their own.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConsole, type ConsoleResult } from '../../../engine/vm/console-output';
import { buildQemuArgs, QEMU_BINARY } from '../../../engine/vm/qemu-args';
import { prepareVm, type PreparedVm, type VmLaunchRequest } from '../../../engine/vm/vm-launch';

export const DEFAULT_REQUEST: VmLaunchRequest = {
  machine: 'microvm',
  kernel: 'auto',
  command: ['uname', '-r'],
  env: {},
  mounts: [],
  cpus: 1,
  memoryMiB: 256,
  network: 'none',
  devices: [],
  drives: [],
  bootArgs: [],
};

export interface DirectBoot extends ConsoleResult {
  vm: PreparedVm;
  args: string[];
  ms: number;
  vmmExit: number | null;
  timedOut: boolean;
}

/** Spawns `qemu args` and waits for it to exit (killing it at `timeoutMs`). */
export function spawnQemu(args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(QEMU_BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, timedOut });
    });
  });
}

/** `env` decides the artefact cache (SPECTRUM_VM_CACHE); guest kernels come from the shared cache. */
export async function bootDirect(req: Partial<VmLaunchRequest> = {}, timeoutMs = 60_000, env: NodeJS.ProcessEnv = process.env): Promise<DirectBoot> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vm-direct-'));
  try {
    const vm = await prepareVm({ ...DEFAULT_REQUEST, ...req }, dir, env);
    const args = buildQemuArgs(vm.plan);
    const t = performance.now();
    const r = await spawnQemu(args, timeoutMs);
    const ms = performance.now() - t;
    const log = readFileSync(path.join(dir, 'console.log'), 'utf8');
    return { ...parseConsole(log, vm.nonce), vm, args, ms, vmmExit: r.code, timedOut: r.timedOut };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
