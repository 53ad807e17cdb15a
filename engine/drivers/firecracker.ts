// microvm level on Firecracker, where its binary is installed and KVM really works. It boots the
// same vmlinux and initramfs as the QEMU microvm, configured with `--config-file`; a user's own
// Firecracker config is passed unchanged. NOT yet run against a real Firecracker binary: it is
// written and unit-tested against Firecracker's documented API and config schema only.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Driver, DriverContext, LaunchPlan, RunningContext } from './driver';
import type { HostSnapshot } from '../host/snapshot';
import { EngineError } from '../errors';
import { kvmCheck } from '../host/doctor';
import { startMarker } from '../vm/init-script';
import { prepareVm, VmLaunchError } from '../vm/vm-launch';
import { withImageDisk } from '../vm/image-launch';
import { isStoreImage } from '../images/source';
import { vmRequestFromSpec } from '../vm/spec-request';
import type { FirecrackerConfig } from '../vm/firecracker-config';
import { VM_BOOT_TIMEOUT_MS, refuseExec, vmEnv } from './qemu-common';

export const FIRECRACKER_UNTESTED = 'the Firecracker driver has not been run against a real firecracker binary on this project\'s machines (none can be installed there)';

export function firecrackerSupport(host: HostSnapshot) {
  if (!host.binaries.firecracker) return { ok: false, reason: `firecracker is not installed (not packaged in Debian or npm); ${FIRECRACKER_UNTESTED}`, fix: 'install a release binary from https://github.com/firecracker-microvm/firecracker/releases as /usr/local/bin/firecracker' };
  const kvm = kvmCheck(host);
  if (!kvm.ok) return { ok: false, reason: `Firecracker needs KVM: ${kvm.detail}`, fix: kvm.fix };
  return { ok: true, reason: FIRECRACKER_UNTESTED };
}

/** The --config-file for a spec launched through our initramfs (vmlinux + initrd, no network). */
export function firecrackerConfigFor(o: { kernel: string; initrd: string; cpus: number; memoryMiB: number; drives: { id: string; path: string; readOnly: boolean }[] }): FirecrackerConfig {
  return {
    'boot-source': { kernel_image_path: o.kernel, initrd_path: o.initrd, boot_args: 'console=ttyS0 reboot=k panic=-1 pci=off quiet' },
    'machine-config': { vcpu_count: o.cpus, mem_size_mib: o.memoryMiB, smt: false },
    drives: o.drives.map((d) => ({ drive_id: d.id, path_on_host: d.path, is_root_device: false, is_read_only: d.readOnly })),
  };
}

async function prepare(ctx: DriverContext): Promise<LaunchPlan> {
  const bin = ctx.host.binaries.firecracker?.path ?? 'firecracker';
  const apiSock = path.join(ctx.runDir, 'firecracker.sock');
  const base = {
    stop: [{ kind: 'signal' as const, signal: 'SIGTERM' as const, waitMs: 2000 }],
    cleanup: [],
    runtimeVersion: ctx.host.binaries.firecracker?.version,
  };
  if (ctx.spec.firecrackerConfig && !ctx.spec.command?.length) {
    // The user's config as is: its guest runs its own init; the exit code is Firecracker's. The
    // copy checked when the spec was made is what runs (relative paths from the file's folder).
    const judged = path.join(ctx.dir, 'firecracker-given.json');
    writeFileSync(judged, JSON.stringify(ctx.spec.firecrackerConfigContent ?? JSON.parse(readFileSync(ctx.spec.firecrackerConfig, 'utf8'))), { mode: 0o600 });
    return {
      ...base,
      process: { command: bin, args: ['--api-sock', apiSock, '--config-file', judged], cwd: path.dirname(ctx.spec.firecrackerConfig) },
      readiness: { kind: 'spawn' },
      network: 'as configured in the Firecracker config',
      extra: { vmm: 'firecracker', accelerator: 'kvm', firecrackerConfig: ctx.spec.firecrackerConfig, apiSocket: apiSock, note: FIRECRACKER_UNTESTED },
    };
  }
  // An OCI image boots from its cached disk, which Firecracker can only attach read-only (it has no throw-away layer).
  if (ctx.spec.image && isStoreImage(ctx.spec.image) && !ctx.spec.readonly) throw new EngineError(`${ctx.spec.name}: Firecracker cannot give an image a writable root without writing the cached disk`, [], 'remove readonly: false, or use microvm: { vmm: qemu }');
  const { request } = await withImageDisk(ctx, vmRequestFromSpec(ctx.spec).request);
  if (request.network !== 'none') throw new EngineError(`${ctx.spec.name}: network on Firecracker needs a tap device, which this driver does not set up`, [], 'use microvm: { vmm: qemu } for outbound networking');
  if (request.mounts.length) throw new EngineError(`${ctx.spec.name}: Firecracker has no 9p/virtio-fs device for mounts`, [], 'use microvm: { vmm: qemu }, or put the files in image:');
  let vm;
  try {
    vm = await prepareVm({ ...request, machine: 'microvm', accel: 'kvm' }, ctx.dir, vmEnv(ctx));
  } catch (e) {
    if (e instanceof VmLaunchError) throw new EngineError(`${ctx.spec.name}: ${e.message}`, [], e.fix);
    throw e;
  }
  if (vm.kernel.format !== 'vmlinux') throw new EngineError(`${ctx.spec.name}: Firecracker boots only an uncompressed vmlinux, and none could be extracted from ${vm.kernel.path}`);
  const cfgPath = path.join(ctx.dir, 'firecracker.json');
  const cfg = firecrackerConfigFor({ kernel: vm.kernel.path, initrd: vm.initrd, cpus: request.cpus, memoryMiB: request.memoryMiB, drives: vm.plan.drives });
  writeFileSync(cfgPath, JSON.stringify(cfg, null, 2) + '\n');
  return {
    ...base,
    process: { command: bin, args: ['--api-sock', apiSock, '--config-file', cfgPath] },
    readiness: { kind: 'output', pattern: startMarker(vm.nonce), timeoutMs: ctx.spec.timeoutMs ?? VM_BOOT_TIMEOUT_MS },
    network: 'none (no network device)',
    guestConsole: { nonce: vm.nonce },
    extra: { vmm: 'firecracker', accelerator: 'kvm', vcpus: request.cpus, memoryMiB: request.memoryMiB, kernel: vm.kernel.path, kernelRelease: vm.kernel.release, initramfs: vm.initrd, config: cfgPath, apiSocket: apiSock, note: FIRECRACKER_UNTESTED },
  };
}

export const firecrackerDriver: Driver = {
  isolation: 'microvm',
  runtime: 'firecracker',
  isSupported: firecrackerSupport,
  handles: (spec) => spec.isolation === 'microvm' && spec.microvm.vmm !== 'qemu',
  prepare,
  exec: (ctx: RunningContext) => refuseExec(ctx),
};
