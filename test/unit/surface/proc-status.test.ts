// /proc parsers on a recorded container init (runc, the engine's default bundle).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { capabilityNames, parseStatus, writableMounts } from '../../../engine/surface/proc-status';

const fixture = (n: string) => readFileSync(path.join(__dirname, 'fixtures', n), 'utf8');

describe('/proc/PID/status', () => {
  test('the recorded container init: no capabilities, one seccomp filter, no new privileges', () => {
    const s = parseStatus(fixture('container-init.status.txt'));
    assert.equal(s.capEff, 0n);
    assert.equal(s.seccomp, 2);
    assert.equal(s.seccompFilters, 1);
    assert.equal(s.noNewPrivs, true);
  });

  test('capability masks name each bit', () => {
    assert.deepEqual(capabilityNames(0x240000n), ['cap_sys_chroot', 'cap_sys_admin']);
    assert.equal(capabilityNames(0x1ffffffffffn).length, 41);
    assert.deepEqual(capabilityNames(1n << 45n), ['cap_unknown_45']);
  });

  test('a status without CapEff is an error, not zero capabilities', () => {
    assert.throws(() => parseStatus('Name:\tsh\nSeccomp:\t2\n'), /CapEff/);
  });
});

describe('writable mounts from mountinfo', () => {
  test('the recorded container: a read-only root, /dev/null masks left out', () => {
    const w = writableMounts(fixture('container-init.mountinfo.txt'));
    assert.deepEqual(w, ['/proc (proc)', '/dev (tmpfs)', '/dev/pts (devpts)', '/dev/shm (tmpfs)', '/dev/mqueue (mqueue)', '/tmp (tmpfs)']);
  });

  test('a mount read-only at the superblock is not writable; escaped names are decoded', () => {
    const text = [
      '30 20 8:1 / /data\\040dir rw,relatime - ext4 /dev/sda1 rw',
      '31 20 8:2 / /ro-sb rw,relatime - ext4 /dev/sda2 ro',
      '32 20 8:3 / /ro rw - ext4 /dev/sda3 rw'.replace(' rw - ', ' ro - '),
    ].join('\n');
    assert.deepEqual(writableMounts(text), ['/data dir (ext4)']);
  });
});
