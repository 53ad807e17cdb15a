// microvm level on QEMU's `-M microvm`: virtio-mmio devices, one serial port, no PCI. KVM when
// it really works, else TCG (see engine/vm/kvm.ts for why /dev/kvm alone is not enough).
import type { Driver } from './driver';
import { inspectQemu, prepareQemu, qemuSupport, refuseExec } from './qemu-common';

export const qemuMicrovmDriver: Driver = {
  isolation: 'microvm',
  runtime: 'qemu',
  isSupported: qemuSupport,
  handles: (spec) => spec.isolation === 'microvm' && spec.microvm.vmm !== 'firecracker',
  prepare: (ctx) => prepareQemu(ctx, 'microvm'),
  exec: (ctx) => refuseExec(ctx),
  inspect: inspectQemu,
};
