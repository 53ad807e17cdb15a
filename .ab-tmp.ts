import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { prepareVm } from './engine/vm/vm-launch';
import { buildQemuArgs } from './engine/vm/qemu-args';
import { DEFAULT_REQUEST, spawnQemu } from './test/integration/vm/qemu-direct';
import { parseConsole } from './engine/vm/console-output';
const env = { ...process.env, SPECTRUM_VM_CACHE: '/tmp/ab-cache' };
async function one(noacpi: boolean) {
  const dir = mkdtempSync('/tmp/ab-');
  const vm = await prepareVm({ ...DEFAULT_REQUEST, command: ['true'], bootArgs: noacpi ? ['reboot=t'] : [] }, dir, env);
  const args = buildQemuArgs(vm.plan);
  if (noacpi) {
    const i = args.indexOf('-M'); args[i + 1] += ',acpi=off';
    // swap poweroff for reboot in /init by rewriting the initrd's launch archive is awkward: rely on panic on init exit
  }
  const t = performance.now();
  const r = await spawnQemu(args, 60000);
  const ms = performance.now() - t;
  const log = readFileSync(dir + '/console.log', 'utf8');
  rmSync(dir, { recursive: true });
  return { ms, code: parseConsole(log, vm.nonce).exitCode, to: r.timedOut };
}
async function main() {
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < 4; i++) { const x = await one(false); a.push(x.ms); const y = await one(true); b.push(y.ms); console.log(Math.round(x.ms), x.code, Math.round(y.ms), y.code, y.to); }
  console.log('acpi', a.sort((p, q) => p - q).map(Math.round).join(' '));
  console.log('noacpi', b.sort((p, q) => p - q).map(Math.round).join(' '));
}
void main();
