// After a VM comes back from a snapshot, its guest is an exact copy of another: same kernel RNG
// state (two copies would hand out the same "random" bytes), a clock that stood still while it
// was saved, the same MAC and machine id. One exec through the guest agent fixes that:
//
// - RNG: host bytes are written to /dev/urandom (mixed into the input pool), then the kernel's
//   crng is made to reseed from that pool *now*. Writing alone is not enough on Linux 5.18+: a
//   ready crng reseeds only on a timer (up to 60 s). Busybox has no ioctl tool for RNDRESEEDCRNG,
//   so the reseed comes from the kernel's own resume path: a suspend test that only freezes and
//   thaws tasks (`pm_test=freezer`, no delay) ends in PM_POST_SUSPEND, on which the kernel
//   reseeds ("crng reseeded on system resumption"). No device is suspended.
// - Clock: stepped forward by exactly how long the VM was stopped (host timestamps), so the
//   transport's latency adds no error. `date -s` takes whole seconds: the corrected time is
//   rounded to the nearest one (at most 0.5 s off; waiting for the next second boundary instead
//   would cost a warm start 0.5 s on average).
// - MAC (when the guest has eth0) and /etc/machine-id: fresh per copy.
// - A warm start's command goes in the same exec, after the rest (engine/vm/warm-start.ts).
import { randomBytes } from 'node:crypto';
import { EngineError } from '../errors';
import { agentExec } from './agent-client';

const SCRIPT = `set -u
out=
if [ "$2" = 1 ]; then
  echo "$5" > /dev/urandom || exit 3
  if echo freezer > /sys/power/pm_test && echo 0 > /sys/module/suspend/parameters/pm_test_delay && echo freeze > /sys/power/state; then out="$out reseeded"; fi
  echo none > /sys/power/pm_test 2>/dev/null
fi
if [ "$3" != - ] && [ -e /sys/class/net/eth0 ]; then ip link set dev eth0 address "$3" && out="$out mac"; fi
if [ "$4" != - ] && [ -d /etc ]; then printf '%s\\n' "$4" > /etc/machine-id 2>/dev/null && out="$out machine-id"; fi
now_us() {
  n=$(date +%s%N 2>/dev/null)
  case $n in
    ''|*[!0-9]*) set -- $(adjtimex 2>/dev/null | grep tv_); [ $# -eq 4 ] && printf '%d%06d\\n' "$2" "$4" ;;
    *) echo "\${n%???}" ;;
  esac
}
if [ "$1" != 0 ]; then
  us=$(now_us)
  [ -n "$us" ] || { echo "cannot read the guest clock with sub-second precision" >&2; exit 4; }
  t=$((us + $1 * 1000))
  date -s @$(( (t + 500000) / 1000000 )) > /dev/null || exit 5
  out="$out clock"
fi
echo "done$out"
# A warm start's hand-over: the command's script, into the fifo /init waits on.
[ "$6" = - ] || cat > "$6"
`;

export interface RefreshOptions {
  /** How long the guest's clock stood still (ms): it is stepped forward by this. */
  clockStepMs: number;
  /** Feed host randomness and reseed the kernel's crng (every copy but the source). */
  reseed: boolean;
  /** A new MAC for eth0, and a new machine id. */
  identity: boolean;
  /** Then write `data` into the guest file `to` (a warm start hands its command over so). */
  handOver?: { to: string; data: string };
}

export interface GuestRefresh {
  clockStepMs: number;
  reseeded: boolean;
  clockStepped: boolean;
  mac?: string;
  machineId?: string;
  ms: number;
}

/** A locally administered unicast MAC (02:...), never QEMU's shared default. */
export function newMac(): string {
  const b = randomBytes(6);
  b[0] = (b[0] & 0xfc) | 0x02;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export async function refreshGuest(agentSocket: string, o: RefreshOptions): Promise<GuestRefresh> {
  const t0 = performance.now();
  const mac = o.identity ? newMac() : undefined;
  const machineId = o.identity ? randomBytes(16).toString('hex') : undefined;
  const step = Math.max(0, Math.round(o.clockStepMs));
  // Host randomness as hex text: mixing needs no particular encoding, and stdin stays free.
  const seed = o.reseed ? randomBytes(64).toString('hex') : '-';
  const argv = ['/bin/sh', '-c', SCRIPT, 'spectrum-refresh', String(step), o.reseed ? '1' : '0', mac ?? '-', machineId ?? '-', seed, o.handOver?.to ?? '-'];
  const p = agentExec(agentSocket, { argv });
  let stdout = '';
  let stderr = '';
  p.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  p.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  p.stdin.end(o.handOver?.data ?? '');
  const code = await p.exit;
  const done = stdout.split(/\s+/);
  if (code !== 0 || !done.includes('done')) throw new EngineError(`the restored guest could not be refreshed (RNG, clock, identity): exit ${code}: ${stderr.trim() || stdout.trim()}`);
  if (o.reseed && !done.includes('reseeded')) throw new EngineError(`the restored guest's kernel RNG could not be reseeded (its copies would share random bytes): ${stderr.trim() || 'the freezer-only suspend test failed'}`, [], 'the guest kernel needs CONFIG_PM_DEBUG and CONFIG_SUSPEND (Debian kernels have both)');
  return {
    clockStepMs: step,
    reseeded: done.includes('reseeded'),
    clockStepped: done.includes('clock'),
    ...(done.includes('mac') ? { mac } : {}),
    ...(done.includes('machine-id') ? { machineId } : {}),
    ms: Math.round(performance.now() - t0),
  };
}
