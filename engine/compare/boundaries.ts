// The isolation boundary of each level, named under its bar in the chart.
import type { Isolation } from '../spec/types';

export const BOUNDARY: Record<Isolation, string> = {
  isolate: 'V8 isolate (no syscalls)',
  container: 'namespaces + seccomp, shared kernel',
  gvisor: 'gVisor Sentry (user-space kernel)',
  microvm: 'guest kernel + minimal device model',
  vm: 'guest kernel + full device model',
};
