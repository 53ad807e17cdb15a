// The guest's /init: a busybox shell script generated per launch. It carries a random nonce so
// the exit-code line on the serial console can't be produced by accident (or by the command's
// own output), and it powers the VM off when the command ends.
import { randomBytes } from 'node:crypto';
import { imageRunLines } from './image-run';

export interface GuestDrive {
  /** The drive's virtio serial: /init finds its /dev/vdX by it (probe order is not fixed). */
  serial: string;
  /** Where /init mounts it; undefined leaves it unmounted (raw). */
  mountAt?: string;
  readOnly: boolean;
  fsType?: string;
  /** A failed mount is reported on the console but doesn't stop the launch. */
  optional?: boolean;
}

export interface GuestShare {
  tag: string;
  target: string;
  readOnly: boolean;
}

/** How an OCI image's process runs in its mounted root (the chroot): as the image's user, in its WorkingDir. */
export interface GuestImageRun {
  uid: number;
  gid: number;
  workdir: string;
}

export interface InitOptions {
  nonce: string;
  command: string[];
  env: Record<string, string>;
  /** Absolute guest paths of modules, in load order. */
  modules: string[];
  drives: GuestDrive[];
  shares: GuestShare[];
  network: 'none' | 'outbound';
  /** Mount point of the drive the command runs chrooted in (a disk-image rootfs). */
  chroot?: string;
  workdir?: string;
  /** Start the guest agent (/sbin/spectrum-agent in the base image) before the command. */
  agent?: boolean;
  /** With `chroot`: run the command as an OCI image says (engine/vm/image-run.ts). */
  run?: GuestImageRun;
}

export function newNonce(): string {
  return randomBytes(12).toString('hex');
}

export function startMarker(nonce: string): string {
  return `SPECTRUM-START-${nonce}`;
}

export function exitMarker(nonce: string): string {
  return `SPECTRUM-EXIT-${nonce}`;
}

/** Single-quotes a word for sh. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SIMPLE_NAME = /^[A-Za-z0-9_]+$/;
const DRIVE_SERIAL = /^[A-Za-z][\w-]{0,19}$/;

export function renderInit(o: InitOptions): string {
  if (o.command.length === 0) throw new Error('a VM launch needs a command');
  if (!/^[0-9a-f]{16,}$/.test(o.nonce)) throw new Error('nonce must be 16+ hex digits');
  const l: string[] = [
    '#!/bin/sh',
    'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root',
    'mount -t proc proc /proc',
    'mount -t sysfs sysfs /sys',
    'mount -t devtmpfs devtmpfs /dev',
    'mkdir -p /dev/pts /tmp /run && mount -t devpts devpts /dev/pts',
    'fail() { echo "spectrum-init: $*" >&2; printf \'\\n%s:%d\\n\' "$M" 125; poweroff -f; }',
    `M=${exitMarker(o.nonce)}`,
    'disk() { for b in /sys/block/vd*; do [ "$(cat $b/serial 2>/dev/null)" = "$1" ] && echo /dev/${b##*/} && return 0; done; return 1; }',
  ];
  // Like modprobe, hand each module its `name.param=value` words from the kernel command line
  // (Firecracker describes its virtio-mmio devices that way).
  if (o.modules.length) l.push('params() { for w in $(cat /proc/cmdline); do case "$w" in "$1".*) echo "${w#"$1".}";; esac; done; }');
  for (const m of o.modules) {
    const name = (m.split('/').pop() ?? m).replace(/\.ko$/, '').replace(/-/g, '_');
    if (!SIMPLE_NAME.test(name)) throw new Error(`module name must be a plain name: ${JSON.stringify(name)}`);
    l.push(`insmod ${shQuote(m)} $(params ${name}) || fail "cannot load module ${name}"`);
  }
  o.drives.forEach((d) => {
    if (!d.mountAt) return;
    const opts = d.readOnly ? 'ro' : 'rw';
    // Serials come from a Firecracker config's drive ids: plain names only (like QEMU's drive ids),
    // and paths are quoted wherever they appear.
    if (!DRIVE_SERIAL.test(d.serial)) throw new Error(`drive id must be a simple name of at most 20 characters: ${JSON.stringify(d.serial)}`);
    const onFail = d.optional ? `echo "spectrum-init: drive ${d.serial} not mounted" >&2` : `fail "cannot mount drive ${d.serial}"`;
    l.push(`if dev=$(disk ${shQuote(d.serial)}); then mkdir -p ${shQuote(d.mountAt)} && mount -o ${opts}${d.fsType ? ` -t ${shQuote(d.fsType)}` : ''} "$dev" ${shQuote(d.mountAt)} || ${onFail}; else fail "no block device with serial ${d.serial}"; fi`);
  });
  for (const s of o.shares) {
    const target = o.chroot ? `${o.chroot}${s.target}` : s.target;
    l.push(`mkdir -p ${shQuote(target)} && mount -t 9p -o trans=virtio,version=9p2000.L,${s.readOnly ? 'ro' : 'rw'} ${shQuote(s.tag)} ${shQuote(target)} || fail ${shQuote(`cannot mount share ${s.target}`)}`);
  }
  l.push('ip link set lo up 2>/dev/null');
  if (o.network === 'outbound') {
    // QEMU user-mode networking's fixed addresses: guest .15, gateway .2, DNS .3.
    l.push('ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 && ip route add default via 10.0.2.2 || fail "cannot configure eth0"');
    l.push('echo nameserver 10.0.2.3 > /etc/resolv.conf');
  }
  if (o.chroot) {
    const c = shQuote(o.chroot);
    l.push(`for d in proc sys dev; do mkdir -p ${c}/$d && mount --bind /$d ${c}/$d; done`);
    // A scratch /tmp, as containers get: a read-only root image still leaves programs one.
    l.push(`[ -d ${c}/tmp ] && mount -t tmpfs -o nosuid,nodev tmpfs ${c}/tmp`);
  }
  if (o.agent) {
    // Started before the spec's env is exported: exec'd commands get only the env they ask for.
    l.push(`/sbin/spectrum-agent${o.chroot ? ` --root ${shQuote(o.chroot)}` : ''} </dev/null >/dev/null 2>&1 &`);
  }
  for (const [k, v] of Object.entries(o.env)) {
    if (!ENV_NAME.test(k)) throw new Error(`invalid environment variable name: ${k}`);
    l.push(`export ${k}=${shQuote(v)}`);
  }
  l.push(`cd ${shQuote(o.workdir ?? '/')} 2>/dev/null || cd /`);
  l.push(`echo ${startMarker(o.nonce)}`);
  const cmd = o.command.map(shQuote).join(' ');
  if (o.chroot && o.run) l.push(...imageRunLines(o.chroot, o.run, o.command, o.network));
  else l.push(o.chroot ? `chroot ${shQuote(o.chroot)} ${cmd}` : cmd);
  l.push('rc=$?');
  l.push('sync');
  l.push('printf \'\\n%s:%d\\n\' "$M" "$rc"');
  l.push('poweroff -f');
  return l.join('\n') + '\n';
}
