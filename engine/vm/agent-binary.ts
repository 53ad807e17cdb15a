// Where the compiled guest agent is: built by the build (scripts/agent-build.mjs) into
// dist/spectrum-agent and shipped in the .vsix beside the bundles. A VM launch packs it into the
// initramfs; without it the VM runs with no agent, and inspect says why.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export const AGENT_BINARY_NAME = 'spectrum-agent';

/** The agent binary to use, or undefined. SPECTRUM_AGENT_BINARY names one explicitly. */
export function findAgentBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.SPECTRUM_AGENT_BINARY) return existsSync(env.SPECTRUM_AGENT_BINARY) ? env.SPECTRUM_AGENT_BINARY : undefined;
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [
    // Beside the bundles (dist/ of a checkout, or the installed extension).
    ...(env.SPECTRUM_MONITOR_SCRIPT ? [path.join(path.dirname(env.SPECTRUM_MONITOR_SCRIPT), AGENT_BINARY_NAME)] : []),
    path.join(here, AGENT_BINARY_NAME),
    // Run from source (engine/vm/): the checkout's dist/.
    path.join(here, '..', '..', 'dist', AGENT_BINARY_NAME),
  ];
  return candidates.find((p) => existsSync(p) && statSync(p).isFile());
}

/** What inspect says about a VM's agent. */
export function agentDescription(binary: string | undefined, kernelHasPort: boolean): string {
  if (!kernelHasPort) return 'none: the guest kernel has no virtio_console (re-fetch the kernel: node --import tsx engine/vm/fetch-kernel.ts)';
  if (!binary) return 'none: the guest agent was not built (no C compiler at build time: apt-get install musl-tools, then npm run build)';
  return `spectrum-agent (compiled C, ${Math.round(statSync(binary).size / 1024)} KiB) on virtio-serial port spectrum.agent`;
}
