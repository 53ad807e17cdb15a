import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostTscKhz, parseCpuinfoMhz, parseDmesgTsc, parseTscFreqKhz } from '../../../engine/vm/tsc';
import { cpuHasHwVirt, judgeKvm } from '../../../engine/vm/kvm';

describe('host TSC frequency', () => {
  test('parses each source', () => {
    assert.equal(parseTscFreqKhz('2445406\n'), 2445406);
    assert.equal(parseDmesgTsc('[    0.000071] tsc: Detected 2445.428 MHz processor'), 2445428);
    assert.equal(parseCpuinfoMhz('processor\t: 0\ncpu MHz\t\t: 2445.428\n'), 2445428);
    assert.equal(parseCpuinfoMhz('processor\t: 0\n'), undefined);
  });

  test('prefers sysfs, falls back to cpuinfo, and never guesses', () => {
    const files: Record<string, string> = { '/proc/cpuinfo': 'cpu MHz\t\t: 2000.000\n' };
    assert.equal(hostTscKhz((p) => files[p]), 2000000);
    files['/sys/devices/system/cpu/cpu0/tsc_freq_khz'] = '2445406';
    assert.equal(hostTscKhz((p) => files[p]), 2445406);
    assert.equal(hostTscKhz(() => undefined), undefined);
  });
});

describe('KVM usability', () => {
  test('kvm_pvm without vmx/svm is not usable for stock guests', () => {
    const v = judgeKvm({ devKvm: true, devKvmAccess: true, hwVirt: false, modules: ['kvm', 'kvm_pvm'] });
    assert.equal(v.usable, false);
    assert.match(v.reason, /kvm_pvm/);
  });

  test('vmx with kvm_intel and access is usable; missing pieces each say why', () => {
    assert.equal(judgeKvm({ devKvm: true, devKvmAccess: true, hwVirt: true, modules: ['kvm', 'kvm_intel'] }).usable, true);
    assert.match(judgeKvm({ devKvm: false, devKvmAccess: false, hwVirt: true, modules: [] }).reason, /absent/);
    const noAccess = judgeKvm({ devKvm: true, devKvmAccess: false, hwVirt: true, modules: ['kvm_amd'] });
    assert.equal(noAccess.usable, false);
    assert.match(noAccess.fix ?? '', /usermod -aG kvm/);
  });

  test('reads vmx/svm from cpuinfo flags', () => {
    assert.equal(cpuHasHwVirt('flags\t\t: fpu vme de pse tsc msr vmx smx\n'), true);
    assert.equal(cpuHasHwVirt('flags\t\t: fpu vme de pse tsc msr\n'), false);
  });
});
