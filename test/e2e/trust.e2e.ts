// Workspace trust: a separate code-server started WITHOUT --disable-workspace-trust opens the
// fixture workspace untrusted (Restricted Mode); the installed extension launches nothing there.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureVsix } from '../../scripts/package.mjs';
import { startCodeServer, type CodeServer } from '../../scripts/toolchain.mjs';
import { launchBrowser, type Browser } from './harness/browser';
import { cli } from './harness/cli';
import { fixtureWorkspace, resultsDir } from './harness/paths';
import { openFile, openWorkbench, runCommand, screenshot } from './harness/workbench';

describe('workspace trust', () => {
  let cs: CodeServer;
  let browser: Browser;
  let workspace: string;
  before(async () => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'spectrum-trust-ws-'));
    cpSync(fixtureWorkspace, workspace, { recursive: true });
    cs = await startCodeServer({ trust: true, vsix: await ensureVsix(), label: 'trust', workspace, logFile: path.join(resultsDir, 'code-server-trust.log') });
    browser = await launchBrowser();
    await openWorkbench(browser.page, cs.origin, workspace);
  });
  after(async () => {
    await browser?.close();
    await cs?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  const server = () => ({ origin: cs.origin, port: cs.port, workspace, stateHome: cs.dirs.state, tmpDir: cs.dirs.tmp, logFile: cs.logFile, release: async () => {} });

  test('the workspace opens untrusted (Restricted Mode)', async () => {
    const { page } = browser;
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'trust-restricted-mode');
  });

  test('Launch This File is refused and nothing runs', async () => {
    const { page } = browser;
    await openFile(page, 'hello.sandbox.yaml');
    await runCommand(page, 'Isolation Spectrum: Launch This File');
    await page.locator('.notification-toast', { hasText: 'launches nothing in an untrusted workspace' }).first().waitFor({ timeout: 30_000 });
    assert.deepEqual(await cli(server()).ps(), []);
    await screenshot(page, 'trust-launch-refused');
  });
});
