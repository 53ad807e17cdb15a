// vm level on QEMU's `-M q35`: the full PC (virtio-pci devices, firmware), same lifecycle as the
// microvm, plus PCI passthrough with vfio-pci for `devices:`.
import type { Driver } from './driver';
import { inspectQemu, prepareQemu, qemuSupport, refuseExec } from './qemu-common';

export const qemuVmDriver: Driver = {
  isolation: 'vm',
  runtime: 'qemu',
  isSupported: qemuSupport,
  handles: (spec) => spec.isolation === 'vm',
  prepare: (ctx) => prepareQemu(ctx, 'q35'),
  exec: (ctx) => refuseExec(ctx),
  inspect: inspectQemu,
};
