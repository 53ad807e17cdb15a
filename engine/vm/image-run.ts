// The guest /init's last step for an OCI image's disk: enter the mounted image root, change to
// its WorkingDir and to its user, then exec its process. busybox `chroot` can do neither the
// directory (it always changes to /) nor the user, and this busybox's `setpriv` can't set ids;
// its `nsenter` does all three with no namespace to enter: --root, --wd (a path seen from
// outside the new root), -S/-G (clearing supplementary groups), and -F to exec without a fork.
import { type GuestImageRun, shQuote } from './init-script';

export function imageRunLines(root: string, run: GuestImageRun, command: string[], network: 'none' | 'outbound'): string[] {
  for (const [k, v] of [['uid', run.uid], ['gid', run.gid]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xfffffffe) throw new Error(`image ${k} must be a whole number, got ${v}`);
  }
  if (command.length === 0) throw new Error('an image VM needs a command');
  const workdir = `${root}/${run.workdir.replace(/^\/+/, '')}`.replace(/\/+$/, '') || root;
  const l: string[] = [];
  // The guest's resolver (QEMU's user-mode DNS) for the image's programs; an image whose
  // resolv.conf is a symlink (systemd's stub) keeps its own.
  if (network === 'outbound') l.push(`[ -L ${shQuote(`${root}/etc/resolv.conf`)} ] || cat /etc/resolv.conf > ${shQuote(`${root}/etc/resolv.conf`)} 2>/dev/null`);
  // Docker creates a missing WorkingDir; on a read-only root this fails and nsenter says why.
  l.push(`mkdir -p ${shQuote(workdir)} 2>/dev/null`);
  l.push(['nsenter', `--root=${root}`, `--wd=${workdir}`, '-S', String(run.uid), '-G', String(run.gid), '-F', ...command].map(shQuote).join(' '));
  return l;
}
