// Counting what a seccomp profile lets through, on recorded profiles and the recorded x86-64 table.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { countSeccomp, type OciSeccomp } from '../../../engine/surface/seccomp-count';
import { parseKallsyms, parseUnistd } from '../../../engine/surface/syscall-table';
import { defaultSeccomp } from '../../../engine/oci/seccomp';

const fixture = (n: string) => readFileSync(path.join(__dirname, 'fixtures', n), 'utf8');
// Recorded from this Debian 12 host's unistd_64.h (the x86-64 ABI).
const TABLE = fixture('x86_64.syscalls.txt').split('\n').filter(Boolean);
// Recorded from the config.json of a bundle the engine prepared for `isolation: container`.
const RECORDED = JSON.parse(fixture('engine-default.seccomp.json')) as OciSeccomp;

describe('countSeccomp', () => {
  test('the engine\'s recorded default profile: 53 of the table denied outright, clone conditional', () => {
    const c = countSeccomp(RECORDED, TABLE);
    assert.equal(c.of, 362);
    assert.equal(c.reachable, 309);
    assert.deepEqual(c.conditional, ['clone']);
    for (const n of ['mount', 'ptrace', 'bpf', 'unshare', 'clone3', 'kexec_load']) assert.ok(!c.allowed.includes(n), n);
    for (const n of ['read', 'openat', 'clone', 'execve']) assert.ok(c.allowed.includes(n), n);
  });

  test('the recorded profile is what the engine still installs', () => {
    assert.deepEqual(countSeccomp(defaultSeccomp(), TABLE), countSeccomp(RECORDED, TABLE));
  });

  test('no filter: the whole table, less what the running kernel lacks', () => {
    assert.equal(countSeccomp(undefined, TABLE).reachable, 362);
    const implemented = new Set(TABLE.filter((n) => n !== 'init_module' && n !== 'uselib'));
    const c = countSeccomp(undefined, TABLE, implemented);
    assert.equal(c.reachable, 360);
    assert.equal(c.missingFromKernel, 2);
  });

  test('an allow-list profile counts only what it allows, a conditional allow included', () => {
    const p: OciSeccomp = {
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [
        { names: ['read', 'write', 'exit_group', 'not_a_syscall'], action: 'SCMP_ACT_ALLOW' },
        { name: 'close', action: 'SCMP_ACT_LOG' },
        { names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' }] },
        { names: ['ptrace'], action: 'SCMP_ACT_ALLOW', includes: { arches: ['arm64'] } },
        { names: ['write'], action: 'SCMP_ACT_KILL' },
      ],
    };
    const c = countSeccomp(p, TABLE);
    assert.deepEqual([...c.allowed].sort(), ['close', 'exit_group', 'read', 'socket']);
    assert.deepEqual(c.conditional, ['socket']);
  });

  test('a profile without x86-64 is refused rather than miscounted', () => {
    assert.throws(() => countSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_AARCH64'] }, TABLE), /does not cover x86-64/);
  });
});

describe('syscall table parsers', () => {
  test('unistd_64.h defines, not other macros', () => {
    const text = '#ifndef _ASM_UNISTD_64_H\n#define _ASM_UNISTD_64_H 1\n\n#define __NR_read 0\n#define __NR_write 1\n#define __NR_futex_waitv 449\n\n#endif\n';
    assert.deepEqual(parseUnistd(text), ['futex_waitv', 'read', 'write']);
  });

  test('kallsyms: x86-64 entry points only, not .cold parts or ia32 ones', () => {
    const text = [
      'ffffffff81303020 T __x64_sys_rt_sigreturn',
      'ffffffff8120f006 t __x64_sys_setitimer.cold',
      '0000000000000000 T __x64_sys_read',
      'ffffffff81303030 T __ia32_sys_read32',
      'ffffffff81303040 T __do_sys_write',
    ].join('\n');
    assert.deepEqual([...parseKallsyms(text)].sort(), ['read', 'rt_sigreturn']);
  });
});
