// A window owns what it launches: killing its extension host (code-server does that without
// calling deactivate) leaves none of its sandboxes running; the engine's monitors tear them down.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, type Browser } from './harness/browser';
import { cli } from './harness/cli';
import { tierServer, type TierServer } from './harness/server';
import { openFile, openWorkbench, runCommand } from './harness/workbench';

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('ownership', () => {
  let server: TierServer;
  let browser: Browser;
  before(async () => {
    server = await tierServer();
    browser = await launchBrowser();
    await openWorkbench(browser.page, server.origin, server.workspace);
  });
  after(async () => {
    await browser?.close();
    if (server) await cli(server).downAll();
    await server?.release();
  });

  test("killing the extension host tears down that window's sandboxes", async () => {
    const { page } = browser;
    const spectrum = cli(server);
    await openFile(page, 'hello.sandbox.yaml');
    await runCommand(page, 'Isolation Spectrum: Launch This File');
    const mine = await until(async () => (await spectrum.ps()).find((r) => r.name === 'hello' && r.state === 'running'), 'hello running', 60_000);
    const pid = Number(/^window:(\d+)$/.exec(mine.owner)?.[1]);
    assert.ok(pid > 0, `owner is ${mine.owner}`);
    process.kill(pid, 'SIGKILL');
    await until(async () => ((await spectrum.ps()).some((r) => r.id === mine.id && r.state === 'running') ? undefined : true), `${mine.id} torn down`, 30_000);
  });
});
