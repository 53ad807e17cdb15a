// The code-server an e2e file talks to. `npm test` starts ONE per tier (scripts/toolchain.mjs
// startE2eTier, with the .vsix installed) and passes it in SPECTRUM_E2E_*; a file run on its own
// starts its own the same way and stops it at the end.
import { startE2eTier, type E2eTier } from '../../../scripts/toolchain.mjs';

export interface TierServer {
  origin: string;
  port: number;
  /** A temp copy of test/e2e/fixtures/workspace the window opens. */
  workspace: string;
  /** XDG_STATE_HOME of the extension hosts (the engine's state lives under it). */
  stateHome: string;
  logFile: string;
  /** TMPDIR of the extension hosts (the engine's runtime folder derives from it). */
  tmpDir: string;
  release(): Promise<void>;
}

function fromEnv(): TierServer | undefined {
  const e = process.env;
  if (!e.SPECTRUM_E2E_ORIGIN || !e.SPECTRUM_E2E_WORKSPACE) return undefined;
  return {
    origin: e.SPECTRUM_E2E_ORIGIN,
    port: Number(new URL(e.SPECTRUM_E2E_ORIGIN).port),
    workspace: e.SPECTRUM_E2E_WORKSPACE,
    stateHome: e.SPECTRUM_E2E_STATE_HOME ?? '',
    logFile: e.SPECTRUM_E2E_LOG ?? '',
    tmpDir: e.SPECTRUM_E2E_TMPDIR ?? '',
    release: async () => {},
  };
}

function fromTier(t: E2eTier): TierServer {
  return {
    origin: t.env.SPECTRUM_E2E_ORIGIN,
    port: Number(new URL(t.env.SPECTRUM_E2E_ORIGIN).port),
    workspace: t.env.SPECTRUM_E2E_WORKSPACE,
    stateHome: t.env.SPECTRUM_E2E_STATE_HOME,
    logFile: t.env.SPECTRUM_E2E_LOG,
    tmpDir: t.env.SPECTRUM_E2E_TMPDIR,
    release: () => t.stop(),
  };
}

export async function tierServer(): Promise<TierServer> {
  return fromEnv() ?? fromTier(await startE2eTier());
}
