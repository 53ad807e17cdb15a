// Headless Chromium (the host's, through playwright-core) with its own HOME, XDG_CONFIG_HOME and
// TMPDIR, so nothing lands in the user's home; close() removes them.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from '../../../scripts/toolchain.mjs';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const base = mkdtempSync(path.join(os.tmpdir(), 'spectrum-chromium-'));
  const dirs = { profile: path.join(base, 'profile'), home: path.join(base, 'home'), config: path.join(base, 'config'), tmp: path.join(base, 'tmp') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const context = await chromium.launchPersistentContext(dirs.profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    env: { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, TMPDIR: dirs.tmp } as Record<string, string>,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(base, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
