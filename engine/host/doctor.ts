// Doctor: pure checks over a HostSnapshot (so they are unit-tested on recorded snapshots, from
// the Node collector or the shell-only one). Per level: supported or not, with reason and fix;
// then host facts: KVM really usable, cgroup layout, GPUs, IOMMU groups, runsc nvproxy.
import type { DoctorCheck, DoctorReport, LevelReport } from '../api';
import type { Driver } from '../drivers/driver';
import type { HostSnapshot } from './snapshot';
import { ISOLATION_LEVELS } from '../spec/types';
import { networkCheck } from '../net/stack';

/** KVM is usable for stock guest kernels only with hardware virtualisation and a kvm_intel/kvm_amd module. */
export function kvmCheck(host: HostSnapshot): DoctorCheck {
  const k = host.kvm;
  if (!k) return { name: 'kvm', ok: false, detail: 'unknown (the collector did not look)' };
  if (!k.device) return { name: 'kvm', ok: false, detail: '/dev/kvm is missing: microVMs and VMs run under TCG (slow software emulation)', fix: 'enable virtualisation in firmware, then modprobe kvm_intel (or kvm_amd)' };
  const mods = k.modules ?? [];
  if (mods.includes('kvm_pvm') && !mods.some((m) => m === 'kvm_intel' || m === 'kvm_amd')) {
    return { name: 'kvm', ok: false, detail: '/dev/kvm comes from kvm_pvm, which boots only PVM-built guest kernels: stock kernels fall back to TCG', fix: 'use a host with vmx/svm (bare metal or nested virtualisation enabled)' };
  }
  if (k.cpuFlags === false) return { name: 'kvm', ok: false, detail: '/dev/kvm exists but the CPU shows no vmx/svm: hardware virtualisation is unavailable, TCG only', fix: 'enable VT-x/AMD-V (or nested virtualisation for a VM host)' };
  if (k.accessible === false) return { name: 'kvm', ok: false, detail: '/dev/kvm is not read-write for this user', fix: 'add the user to the kvm group: usermod -aG kvm $USER' };
  if (k.apiVersion !== undefined && k.apiVersion !== 12) return { name: 'kvm', ok: false, detail: `KVM_GET_API_VERSION answered ${k.apiVersion}, expected 12` };
  return { name: 'kvm', ok: true, detail: `usable (${mods.filter((m) => m !== 'kvm').join(', ') || 'kvm'}${k.apiVersion ? `, API ${k.apiVersion}` : ''})` };
}

export function cgroupCheck(host: HostSnapshot): DoctorCheck {
  const c = host.cgroup;
  if (!c) return { name: 'cgroups', ok: false, detail: 'unknown' };
  if (c.layout === 'none') return { name: 'cgroups', ok: false, detail: 'no cgroup filesystem mounted: resource limits cannot apply', fix: 'mount cgroup2 on /sys/fs/cgroup' };
  const detail = c.layout === 'hybrid' ? `hybrid: v1 controllers, cgroup2 at ${c.unifiedPath} (runc and runsc work; crun needs a private mount namespace)` : c.layout;
  return { name: 'cgroups', ok: true, detail };
}

export function gpuCheck(host: HostSnapshot): DoctorCheck {
  const g = host.gpus;
  if (!g) return { name: 'gpus', ok: false, detail: 'unknown (the collector did not look)' };
  const smi = g.nvidiaSmi ?? [];
  const nvidiaPci = (g.pci ?? []).filter((p) => / 10de:/.test(p));
  const hasCtl = g.nvidiaDevices.includes('/dev/nvidiactl');
  const gpuNodes = g.nvidiaDevices.filter((d) => /^\/dev\/nvidia\d+$/.test(d));
  if (!gpuNodes.length && !nvidiaPci.length) return { name: 'gpus', ok: false, detail: 'no NVIDIA GPU found' };
  if (!gpuNodes.length || !hasCtl) {
    return { name: 'gpus', ok: false, detail: `NVIDIA PCI device(s) ${nvidiaPci.join(', ')} but no /dev/nvidia0 or /dev/nvidiactl: the driver is not loaded`, fix: 'install and load the NVIDIA driver (modprobe nvidia)' };
  }
  const names = smi.length ? smi.join('; ') : `${gpuNodes.length} device node(s), nvidia-smi not run`;
  return { name: 'gpus', ok: true, detail: `${gpuNodes.length} NVIDIA GPU(s): ${names}${g.driverVersion ? ` (driver ${g.driverVersion})` : ''}; uvm ${g.nvidiaDevices.includes('/dev/nvidia-uvm') ? 'present' : 'missing'}` };
}

export function iommuCheck(host: HostSnapshot): DoctorCheck {
  if (host.iommuGroups === undefined) return { name: 'iommu', ok: false, detail: 'unknown' };
  if (host.iommuGroups === 0) return { name: 'iommu', ok: false, detail: 'no IOMMU groups: PCI passthrough (VFIO) to a vm is impossible', fix: 'enable VT-d/AMD-Vi in firmware and boot with intel_iommu=on (or amd_iommu=on)' };
  return { name: 'iommu', ok: true, detail: `${host.iommuGroups} IOMMU group(s): PCI passthrough possible` };
}

export function nvproxyCheck(host: HostSnapshot): DoctorCheck {
  if (!host.binaries.runsc) return { name: 'nvproxy', ok: false, detail: 'runsc is not installed', fix: 'apt-get install runsc' };
  if (!host.runsc) return { name: 'nvproxy', ok: false, detail: 'unknown (runsc flags not read)' };
  if (!host.runsc.nvproxy) return { name: 'nvproxy', ok: false, detail: `runsc ${host.binaries.runsc.version ?? ''} has no nvproxy: GPUs cannot be given to gvisor sandboxes`.replace('  ', ' '), fix: 'install a gVisor release from 2023 or later (runsc with --nvproxy)' };
  return { name: 'nvproxy', ok: true, detail: 'runsc supports --nvproxy (GPU access from gvisor sandboxes)' };
}

export function usernsCheck(host: HostSnapshot): DoctorCheck {
  if (host.isRoot) return { name: 'privileges', ok: true, detail: 'running as root: every level can use its full isolation' };
  if (host.userns === false) return { name: 'privileges', ok: false, detail: 'not root and unprivileged user namespaces are off: only isolates and rootless gVisor work', fix: 'sysctl -w kernel.unprivileged_userns_clone=1' };
  return { name: 'privileges', ok: true, detail: 'not root: rootless runc and runsc --rootless are used; nothing is run with sudo' };
}

/** Runtimes whose binary has another name. */
const BINARY_OF: Record<string, string> = { qemu: 'qemu-system-x86_64' };

export function doctorReport(host: HostSnapshot, drivers: Driver[]): DoctorReport {
  const levels: LevelReport[] = [];
  for (const isolation of ISOLATION_LEVELS) {
    const ds = drivers.filter((d) => d.isolation === isolation);
    if (!ds.length) {
      levels.push({ isolation, runtime: '-', support: { ok: false, reason: 'no driver for this level in this build' } });
      continue;
    }
    for (const d of ds) {
      const bin = host.binaries[d.runtime] ?? host.binaries[BINARY_OF[d.runtime] ?? ''];
      levels.push({ isolation, runtime: d.runtime, support: d.isSupported(host), path: bin?.path, version: bin?.version });
    }
  }
  const checks = [usernsCheck(host), kvmCheck(host), cgroupCheck(host), gpuCheck(host), iommuCheck(host), nvproxyCheck(host), networkCheck(host)];
  return { levels, checks, facts: { arch: host.arch, kernel: host.kernelRelease, collector: host.collector, collectedAt: host.collectedAt } };
}
