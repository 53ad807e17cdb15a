// Whether KVM can really run a stock guest kernel. `/dev/kvm` alone proves little: on hosts
// where it comes from kvm_pvm (no vmx/svm in the CPU), only PVM-built guests run and QEMU dies
// with "emulation failure" on a stock kernel. So we look at the CPU flags and the module behind
// /dev/kvm, and fall back to TCG with the reason.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';

export interface KvmFacts {
  devKvm: boolean;
  /** /dev/kvm can be opened read-write by this user. */
  devKvmAccess: boolean;
  /** CPU flags include vmx (Intel) or svm (AMD). */
  hwVirt: boolean;
  /** Loaded KVM modules, e.g. kvm_intel, kvm_amd, kvm_pvm. */
  modules: string[];
}

export interface KvmVerdict {
  usable: boolean;
  reason: string;
  fix?: string;
}

export function judgeKvm(f: KvmFacts): KvmVerdict {
  if (!f.devKvm) return { usable: false, reason: '/dev/kvm is absent: guests run under TCG software emulation', fix: 'load kvm_intel or kvm_amd (modprobe kvm_intel), or enable virtualisation in firmware' };
  if (f.modules.includes('kvm_pvm') && !f.hwVirt)
    return { usable: false, reason: '/dev/kvm comes from kvm_pvm (no vmx/svm in this CPU): it runs only PVM-built guest kernels, so stock guests run under TCG' };
  if (!f.hwVirt) return { usable: false, reason: 'the CPU shows no vmx/svm flag: guests run under TCG software emulation', fix: 'enable VT-x/AMD-V (or nested virtualisation) for this machine' };
  if (!f.devKvmAccess) return { usable: false, reason: '/dev/kvm exists but this user cannot open it read-write', fix: 'add the user to the kvm group: usermod -aG kvm $USER' };
  return { usable: true, reason: `KVM usable (${f.modules.join(', ') || 'kvm'})` };
}

export function cpuHasHwVirt(cpuinfo: string): boolean {
  return /^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo);
}

export function collectKvmFacts(): KvmFacts {
  const devKvm = existsSync('/dev/kvm');
  let devKvmAccess = false;
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    devKvmAccess = true;
  } catch {
    devKvmAccess = false;
  }
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    cpuinfo = '';
  }
  const modules = ['kvm_intel', 'kvm_amd', 'kvm_pvm', 'kvm'].filter((m) => existsSync(`/sys/module/${m}`));
  return { devKvm, devKvmAccess, hwVirt: cpuHasHwVirt(cpuinfo), modules };
}

let verdict: KvmVerdict | undefined;

/** Cached per process: the facts don't change while we run. */
export function probeKvm(): KvmVerdict {
  verdict ??= judgeKvm(collectKvmFacts());
  return verdict;
}
