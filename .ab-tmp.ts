import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { prepareVm } from './engine/vm/vm-launch';
import { buildQemuArgs } from './engine/vm/qemu-args';
import { DEFAULT_REQUEST, spawnQemu } from './test/integration/vm/qemu-direct';
import { parseConsole } from './engine/vm/console-output';
type V = { name: string; cpu?: string; extra?: string[] };
const variants: V[] = [{ name: 'base' }, { name: 'mitig-off', extra: ['mitigations=off'] }, { name: 'cpu-qemu64', cpu: 'qemu64' }, { name: 'both', cpu: 'qemu64', extra: ['mitigations=off'] }];
async function one(v: V) {
  const dir = mkdtempSync('/tmp/ab-');
  const vm = await prepareVm({ ...DEFAULT_REQUEST, command: ['true'], bootArgs: v.extra ?? [] }, dir);
  const args = buildQemuArgs(vm.plan);
  if (v.cpu) args[args.indexOf('-cpu') + 1] = v.cpu;
  const t = performance.now();
  await spawnQemu(args, 120000);
  const ms = performance.now() - t;
  const log = readFileSync(dir + '/console.log', 'utf8');
  const ok = parseConsole(log, vm.nonce).exitCode === 0;
  const guest = /\[\s*([\d.]+)\] reboot: Power down/.exec(log)?.[1];
  rmSync(dir, { recursive: true });
  return { ms, ok, guest };
}
async function main() {
  const res: Record<string, number[]> = {};
  for (let i = 0; i < Number(process.argv[2] ?? 3); i++) for (const v of variants) {
    const r = await one(v);
    (res[v.name] ??= []).push(r.ms);
    console.log(v.name, Math.round(r.ms), r.ok, r.guest);
  }
  for (const [k, xs] of Object.entries(res)) console.log(k, xs.sort((a, b) => a - b).map(Math.round).join(' '));
}
void main();
