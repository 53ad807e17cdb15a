// What the QEMU microvm and q35 drivers share: turning a prepared VM into the monitor's launch
// plan (QMP socket and console socket in the short runtime directory, the console log in the
// state directory), inspect over QMP, and the refusal of exec.
import path from 'node:path';
import type { DriverContext, LaunchPlan, RunningContext, Support } from './driver';
import type { HostSnapshot } from '../host/snapshot';
import { EngineError } from '../errors';
import { kvmCheck } from '../host/doctor';
import { startMarker } from '../vm/init-script';
import { buildQemuArgs, QEMU_BINARY } from '../vm/qemu-args';
import { prepareVm, VmLaunchError } from '../vm/vm-launch';
import { vmRequestFromSpec } from '../vm/spec-request';
import { FirecrackerConfigError } from '../vm/firecracker-config';
import { checkVfioDevices } from '../vm/vfio';
import { queryVm } from '../vm/qmp';
import { vmNetwork } from '../net/vm-network';
import { withImageDisk } from '../vm/image-launch';

/** VM boots under TCG share two cores with other work: give them room before calling it a hang. */
export const VM_BOOT_TIMEOUT_MS = 60_000;

export function qemuSupport(host: HostSnapshot): Support {
  if (!host.binaries[QEMU_BINARY]) return { ok: false, reason: `${QEMU_BINARY} is not installed`, fix: 'apt-get install qemu-system-x86' };
  if (!host.binaries.busybox) return { ok: false, reason: 'busybox-static is not installed (the guest initramfs needs it)', fix: 'apt-get install busybox-static' };
  const kvm = kvmCheck(host);
  return { ok: true, reason: kvm.ok ? 'KVM' : `TCG only: ${kvm.detail}` };
}

export async function prepareQemu(ctx: DriverContext, machine: 'microvm' | 'q35'): Promise<LaunchPlan> {
  let req;
  let unhonoured;
  try {
    const r = vmRequestFromSpec(ctx.spec);
    req = { ...r.request, machine };
    unhonoured = r.unhonoured;
  } catch (e) {
    if (e instanceof FirecrackerConfigError) throw new EngineError(e.message, [], 'fix the named fields (Firecracker refuses unknown fields too)');
    throw e;
  }
  if (req.devices.length) {
    const problems = checkVfioDevices(req.devices);
    if (problems.length) throw new EngineError(`${ctx.spec.name}: PCI passthrough is not ready: ${problems.map((p) => p.message).join('; ')}`, [], problems.map((p) => p.fix).filter(Boolean).join('\n'));
  }
  const image = await withImageDisk(ctx, req);
  req = image.request;
  const kvm = kvmCheck(ctx.host);
  let vm;
  try {
    vm = await prepareVm({ ...req, accel: kvm.ok ? 'kvm' : 'tcg', agent: true }, ctx.dir, vmEnv(ctx));
  } catch (e) {
    if (e instanceof VmLaunchError) throw new EngineError(`${ctx.spec.name}: ${e.message}`, [], e.fix);
    throw e;
  }
  const qmp = path.join(ctx.runDir, 'qmp.sock');
  const consoleSock = path.join(ctx.runDir, 'console.sock');
  const consoleLog = path.join(ctx.dir, 'console.log');
  const net = vmNetwork(ctx);
  const agentSocket = vm.agent ? path.join(ctx.runDir, 'agent.sock') : undefined;
  const plan = { ...vm.plan, agentSocket, qmpSocket: qmp, serial: { kind: 'socket' as const, socket: consoleSock, log: consoleLog }, hostfwd: net?.hostfwd };
  let args: string[];
  try {
    args = buildQemuArgs(plan);
  } catch (e) {
    throw new EngineError(`${ctx.spec.name}: ${(e as Error).message}`);
  }
  const qemu = ctx.host.binaries[QEMU_BINARY];
  const bin = qemu?.path ?? QEMU_BINARY;
  // QEMU keeps a snapshot drive's throw-away overlay in TMPDIR: the sandbox directory, removed with it.
  const env = image.info ? { env: { TMPDIR: ctx.dir } } : {};
  return {
    process: net?.netns ? { command: 'nsenter', args: [`--net=${net.netns}`, '--', bin, ...args], ...env } : { command: bin, args, ...env },
    readiness: { kind: 'output', pattern: startMarker(vm.nonce), timeoutMs: ctx.spec.timeoutMs ?? VM_BOOT_TIMEOUT_MS },
    stop: [
      { kind: 'qmp', socket: qmp, command: 'quit', waitMs: 2000 },
      { kind: 'signal', signal: 'SIGTERM', waitMs: 1000 },
    ],
    ...(net?.before ? { before: net.before } : {}),
    cleanup: net?.cleanup ?? [],
    rootfs: req.image,
    network: net ? net.describe : req.network === 'outbound' ? 'outbound (QEMU user-mode networking)' : 'none (no network device)',
    runtimeVersion: qemu?.version,
    guestConsole: { nonce: vm.nonce, log: consoleLog },
    extra: {
      vmm: 'qemu',
      machine,
      accelerator: vm.accel,
      acceleratorReason: vm.accelReason,
      vcpus: req.cpus,
      memoryMiB: req.memoryMiB,
      kernel: vm.kernel.path,
      kernelFormat: vm.kernel.format,
      kernelRelease: vm.kernel.release,
      kernelSource: vm.kernel.source,
      ...(vm.kernel.bzImage ? { kernelExtractedFrom: vm.kernel.bzImage } : {}),
      initramfs: vm.initrd,
      modules: vm.modules.map((m) => path.basename(m)),
      consoleSocket: consoleSock,
      consoleLog,
      qmpSocket: qmp,
      ...(agentSocket ? { agentSocket } : {}),
      ...(vm.agentNote ? { guestAgent: vm.agentNote } : {}),
      ...(image.info ?? {}),
      ...(net?.ports.length ? { ports: net.ports } : {}),
      ...(unhonoured.length ? { firecrackerConfig: ctx.spec.firecrackerConfig, unhonoured } : {}),
    },
  };
}

/** The engine's cache folder (its XDG_CACHE_HOME) for boot artefacts, not this process's env. */
export function vmEnv(ctx: DriverContext): NodeJS.ProcessEnv {
  return { ...(ctx.env ?? process.env), SPECTRUM_VM_CACHE: path.join(ctx.cacheDir, 'vm') };
}

/** Live state over QMP; falls back to the plan's figures when the VM doesn't answer. */
export async function inspectQemu(ctx: RunningContext): Promise<Record<string, unknown>> {
  const socket = ctx.plan.extra?.qmpSocket as string | undefined;
  if (!socket) return {};
  try {
    const s = await queryVm(socket, 1500);
    return { vmStatus: s.status, vcpus: s.vcpus, guestMemoryBytes: s.memoryBytes, vmmVersion: s.qemuVersion };
  } catch (e) {
    return { vmStatus: `unknown (${(e as Error).message})` };
  }
}

// Reached only for a VM launched without the guest agent (the engine execs through the agent's
// socket otherwise): its cached guest kernel predates the agent and lacks virtio_console.
export function refuseExec(ctx: RunningContext): never {
  const sock = ctx.plan.extra?.consoleSocket as string | undefined;
  throw new EngineError(
    'exec into this VM needs the guest agent, and its cached guest kernel has no virtio_console module for it (cached before the agent existed): remove the kernel cache (spectrum cache) and launch again',
    [],
    sock ? `for an interactive shell, launch without a command and attach to the console: socat -,raw,echo=0 UNIX-CONNECT:${sock}` : undefined,
  );
}
