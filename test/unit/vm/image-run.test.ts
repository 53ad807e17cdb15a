// The guest /init's image step (engine/vm/image-run.ts) and the program lookup in an image
// (engine/vm/image-launch.ts). The lines are also run for real here, with the host's busybox on a
// small root directory, since the guest runs the same busybox: user, groups, directory, argv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { imageRunLines } from '../../../engine/vm/image-run';
import { resolveInImage } from '../../../engine/vm/image-launch';
import { renderInit } from '../../../engine/vm/init-script';

const BUSYBOX = '/usr/bin/busybox';

test('the image step: nsenter with root, workdir seen from outside, ids, every word quoted', () => {
  const l = imageRunLines('/mnt/rootfs', { uid: 1000, gid: 100, workdir: '/home/app/' }, ['/bin/echo', "it's", '$HOME'], 'none');
  assert.deepEqual(l, [
    "mkdir -p '/mnt/rootfs/home/app' 2>/dev/null",
    "'nsenter' '--root=/mnt/rootfs' '--wd=/mnt/rootfs/home/app' '-S' '1000' '-G' '100' '-F' '/bin/echo' 'it'\\''s' '$HOME'",
  ]);
  assert.match(imageRunLines('/r', { uid: 0, gid: 0, workdir: '/' }, ['/x'], 'outbound')[0], /resolv\.conf/, 'outbound gets the guest resolver');
  assert.match(imageRunLines('/r', { uid: 0, gid: 0, workdir: '/' }, ['/x'], 'none')[1], /--wd=\/r'/, 'WorkingDir / is the root itself');
  assert.throws(() => imageRunLines('/r', { uid: -1, gid: 0, workdir: '/' }, ['/x'], 'none'), /uid must be a whole number/);
  assert.throws(() => imageRunLines('/r', { uid: 0, gid: 1.5, workdir: '/' }, ['/x'], 'none'), /gid must be a whole number/);
});

test('renderInit uses the image step only for an image run in a chroot', () => {
  const base = { nonce: 'a'.repeat(16), command: ['/bin/true'], env: {}, modules: [], drives: [], shares: [], network: 'none' as const };
  assert.match(renderInit({ ...base, chroot: '/mnt/rootfs', run: { uid: 5, gid: 6, workdir: '/w' } }), /'nsenter' '--root=\/mnt\/rootfs' '--wd=\/mnt\/rootfs\/w' '-S' '5' '-G' '6' '-F' '\/bin\/true'/);
  assert.match(renderInit({ ...base, chroot: '/mnt/rootfs' }), /^chroot '\/mnt\/rootfs' '\/bin\/true'$/m);
});

function smallRoot(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'image-run-'));
  chmodSync(root, 0o755); // the switched user must reach its programs
  mkdirSync(path.join(root, 'bin'));
  copyFileSync(BUSYBOX, path.join(root, 'bin', 'busybox'));
  chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
  for (const a of ['sh', 'id', 'pwd']) symlinkSync('busybox', path.join(root, 'bin', a));
  writeFileSync(path.join(root, 'bin', 'plain'), 'not executable');
  return root;
}

test('the lines really switch user, groups and directory with this busybox', { skip: process.getuid?.() !== 0 ? 'changing uid needs root (nsenter -S)' : false }, () => {
  const root = smallRoot();
  try {
    const lines = imageRunLines(root, { uid: 1234, gid: 4321, workdir: '/made/here' }, ['/bin/sh', '-c', 'echo "$(id -u):$(id -g):$(id -G):$(pwd):$1"', 'sh', 'a b'], 'none');
    const r = spawnSync(BUSYBOX, ['sh', '-c', lines.join('\n')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '1234:4321:4321:/made/here:a b\n');
    assert.ok(existsSync(path.join(root, 'made', 'here')), 'a missing WorkingDir is created, as Docker does');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a bare program name is found along the image's PATH, never the host's", () => {
  const root = smallRoot();
  try {
    mkdirSync(path.join(root, 'usr', 'bin'), { recursive: true });
    symlinkSync('/etc/alternatives/absolute', path.join(root, 'usr', 'bin', 'alt'));
    assert.equal(resolveInImage(root, 'sh', '/usr/bin:/bin'), '/bin/sh');
    assert.equal(resolveInImage(root, 'alt', '/usr/bin:/bin'), '/usr/bin/alt', 'a symlink is resolved by the guest, inside the image');
    assert.equal(resolveInImage(root, './x', '/bin'), './x', 'a path is left as given');
    assert.throws(() => resolveInImage(root, 'plain', '/bin'), /"plain" is not an executable file in the image's PATH/);
    assert.throws(() => resolveInImage(root, 'node', '/usr/bin:/bin'), /not an executable file/, "the host's /usr/bin/node does not count");
    assert.throws(() => resolveInImage(root, 'sh', 'bin'), /not an executable file/, 'relative PATH entries are ignored');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
