// QEMU command lines for our two VM profiles. `microvm`: virtio-mmio devices, one serial port,
// no PCI, no firmware menus or option ROMs. `q35`: the full PC, with virtio-pci devices and
// optional VFIO passthrough. Both: no default devices, no user config, no display, no reboot
// (a guest reboot or panic ends the VM).

export type Machine = 'microvm' | 'q35';
export type Accel = 'kvm' | 'tcg';

export interface QemuDrive {
  id: string;
  path: string;
  readOnly: boolean;
  format?: 'raw' | 'qcow2';
  /** QEMU cache mode; Firecracker's `Unsafe` maps to `unsafe`, `Writeback` to `writeback`. */
  cache?: 'none' | 'writeback' | 'unsafe' | 'directsync' | 'writethrough';
  /** Guest writes go to a throw-away overlay in QEMU's TMPDIR, never to the file (a cached image disk). */
  snapshot?: boolean;
}

export interface QemuShare {
  tag: string;
  path: string;
  readOnly: boolean;
}

export interface QemuPlan {
  machine: Machine;
  accel: Accel;
  kernel: string;
  initrd?: string;
  /** Kernel command line words (ours first, then any the user gave). */
  append: string[];
  cpus: number;
  memoryMiB: number;
  drives: QemuDrive[];
  shares: QemuShare[];
  network: 'none' | 'outbound';
  /** Guest MAC for the network card (Firecracker configs give one). */
  mac?: string;
  /** QEMU `hostfwd` rules for published ports, e.g. `tcp:127.0.0.1:8080-:80`. */
  hostfwd?: string[];
  rng?: boolean;
  /** QMP control socket; its path must fit in sun_path (108 bytes). */
  qmpSocket?: string;
  /** Serial console: a socket chardev logging to a file, or stdio (direct runs, benches). */
  serial: { kind: 'socket'; socket: string; log: string } | { kind: 'stdio' } | { kind: 'file'; log: string };
  /** Host PCI addresses to pass through with vfio-pci (q35 only). */
  vfio: string[];
  pidFile?: string;
  /** The guest agent's virtio-serial port, as a Unix socket on the host (engine/vm/agent-*.ts). */
  agentSocket?: string;
}

/** Longest path a Unix socket can have (sun_path is 108 bytes including the NUL). */
export const MAX_SOCKET_PATH = 107;

/** Kernel arguments a TCG guest needs to boot promptly (HOST.md: timer calibration). */
export function guestBootArgs(accel: Accel, tscKhz: number | undefined, machine: Machine = 'q35'): string[] {
  // loglevel=3 keeps kernel errors about absent legacy hardware off the console (it carries the
  // command's output); panics (level 0) still show.
  const args = ['console=ttyS0', 'quiet', 'loglevel=3', 'panic=-1'];
  // The microvm has no PCI bus: say so, or the kernel complains on the console while probing.
  if (machine === 'microvm') args.push('pci=off');
  if (accel === 'tcg') {
    if (tscKhz) args.push(`tsc_early_khz=${tscKhz}`);
    args.push('tsc=reliable', 'no_timer_check');
    // The guest kernel's boot-time self-tests of its crypto implementations take ~0.4 s under
    // emulation (measured: the largest initcall). They check the guest's own code, guard no
    // boundary between guest and host, and take milliseconds under KVM, where they stay on.
    args.push('cryptomgr.notests');
  }
  return args;
}

function checkSocket(p: string, what: string): void {
  if (Buffer.byteLength(p) > MAX_SOCKET_PATH) throw new Error(`${what} path is ${Buffer.byteLength(p)} bytes, over the ${MAX_SOCKET_PATH}-byte Unix socket limit: ${p}`);
  if (p.includes(',')) throw new Error(`${what} path must not contain a comma: ${p}`);
}

export const MAC = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/;
const HOSTFWD = /^(tcp|udp):([0-9.]*):[0-9]{1,5}-:[0-9]{1,5}$/;

/** QEMU option values are comma-separated; a literal comma is written twice. */
export function qemuEscape(v: string): string {
  return v.replace(/,/g, ',,');
}

export function buildQemuArgs(p: QemuPlan): string[] {
  if (p.machine === 'microvm' && p.vfio.length) throw new Error('PCI passthrough needs the vm level (q35): the microvm profile has no PCI bus');
  if (p.cpus < 1 || !Number.isInteger(p.cpus)) throw new Error(`vCPU count must be a positive integer, got ${p.cpus}`);
  const mmio = p.machine === 'microvm';
  const dev = (name: string) => `${name}-${mmio ? 'device' : 'pci'}`;
  const a: string[] = [];
  if (p.machine === 'microvm') {
    // isa-serial for ttyS0; no PIT/PIC (the guest's clock is the TSC, see guestBootArgs). The RTC
    // stays: without it the guest kernel spends seconds polling for one.
    a.push('-M', `microvm,accel=${p.accel},x-option-roms=off,pit=off,pic=off,rtc=on,isa-serial=on`);
  } else {
    // qboot: a minimal firmware that boots the kernel straight away and prints nothing on the
    // serial port (the guest's console). Passed-through devices may need SeaBIOS's option ROM
    // support; then SeaBIOS's screen mirroring onto the serial port is turned off instead.
    const firmware = p.vfio.length ? ['-fw_cfg', 'name=etc/sercon-port,string=0'] : ['-bios', 'qboot.rom'];
    a.push('-M', `q35,accel=${p.accel}`, ...firmware);
  }
  a.push('-cpu', p.accel === 'kvm' ? 'host' : 'max');
  a.push('-smp', String(p.cpus), '-m', `${p.memoryMiB}M`);
  a.push('-nodefaults', '-no-user-config', '-nographic', '-no-reboot');
  a.push('-kernel', p.kernel);
  if (p.initrd) a.push('-initrd', p.initrd);
  a.push('-append', p.append.join(' '));
  switch (p.serial.kind) {
    case 'socket':
      checkSocket(p.serial.socket, 'console socket');
      a.push('-chardev', `socket,id=con0,path=${p.serial.socket},server=on,wait=off,logfile=${qemuEscape(p.serial.log)},logappend=on`, '-serial', 'chardev:con0');
      break;
    case 'file':
      // append=on (O_APPEND): the monitor empties a long log (vm/console-tail.ts) and QEMU's next
      // write must then land at its start, not leave a hole of the old size.
      a.push('-chardev', `file,id=con0,path=${qemuEscape(p.serial.log)},append=on`, '-serial', 'chardev:con0');
      break;
    case 'stdio':
      a.push('-serial', 'stdio');
      break;
  }
  if (p.qmpSocket) {
    checkSocket(p.qmpSocket, 'QMP socket');
    a.push('-qmp', `unix:${p.qmpSocket},server=on,wait=off`);
  }
  for (const d of p.drives) {
    if (!/^[A-Za-z][\w-]{0,19}$/.test(d.id)) throw new Error(`drive id must be a simple name of at most 20 characters: ${d.id}`);
    const opts = [`file=${qemuEscape(d.path)}`, `if=none`, `id=${d.id}`, `format=${d.format ?? 'raw'}`, `cache=${d.cache ?? 'writeback'}`];
    if (d.readOnly) opts.push('readonly=on');
    else if (d.snapshot) opts.push('snapshot=on');
    a.push('-drive', opts.join(','), '-device', `${dev('virtio-blk')},drive=${d.id},serial=${d.id}`);
  }
  p.shares.forEach((s, i) => {
    a.push('-fsdev', `local,id=fs${i},path=${qemuEscape(s.path)},security_model=none${s.readOnly ? ',readonly=on' : ''}`);
    a.push('-device', `${dev('virtio-9p')},fsdev=fs${i},mount_tag=${s.tag}`);
  });
  if (p.network === 'outbound') {
    // It lands inside a comma-separated option string: anything but a MAC could add options.
    if (p.mac !== undefined && !MAC.test(p.mac)) throw new Error(`guest MAC must look like 02:00:00:00:00:01, got ${JSON.stringify(p.mac)}`);
    // Same reason: a rule is only protocol, addresses and ports.
    for (const r of p.hostfwd ?? []) if (!HOSTFWD.test(r)) throw new Error(`hostfwd rule must look like tcp:127.0.0.1:8080-:80, got ${JSON.stringify(r)}`);
    const fwd = (p.hostfwd ?? []).map((r) => `,hostfwd=${r}`).join('');
    a.push('-netdev', `user,id=net0${fwd}`, '-device', `${dev('virtio-net')},netdev=net0${p.mac ? `,mac=${p.mac}` : ''}`);
  }
  if (p.rng) a.push('-object', 'rng-random,id=rng0,filename=/dev/urandom', '-device', `${dev('virtio-rng')},rng=rng0`);
  for (const addr of p.vfio) a.push('-device', `vfio-pci,host=${addr}`);
  if (p.agentSocket) {
    checkSocket(p.agentSocket, 'agent socket');
    a.push('-device', `${mmio ? 'virtio-serial-device' : 'virtio-serial-pci'},id=vser0,max_ports=2`);
    a.push('-chardev', `socket,id=agent0,path=${p.agentSocket},server=on,wait=off`);
    a.push('-device', 'virtserialport,bus=vser0.0,chardev=agent0,name=spectrum.agent');
  }
  if (p.pidFile) a.push('-pidfile', p.pidFile);
  return a;
}

/** The QEMU binary for x86-64 guests. */
export const QEMU_BINARY = 'qemu-system-x86_64';
