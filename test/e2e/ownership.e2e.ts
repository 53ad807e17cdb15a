// A window owns what it launches: killing its extension host (code-server does that without
// calling deactivate) leaves none of its sandboxes running; the engine's monitors tear them down.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cli } from './harness/cli';
import { useWorkbench } from './harness/session';
import { openFile, runCommand } from './harness/workbench';

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
  const wb = useWorkbench();

  test("killing the extension host tears down that window's sandboxes", async () => {
    const { page } = wb.browser;
    const spectrum = cli(wb.server);
    await openFile(page, 'hello.sandbox.yaml');
    await runCommand(page, 'Isolation Spectrum: Launch This File');
    const mine = await until(async () => (await spectrum.ps()).find((r) => r.name === 'hello' && r.state === 'running'), 'hello running', 60_000);
    const pid = Number(/^window:(\d+)$/.exec(mine.owner)?.[1]);
    assert.ok(pid > 0, `owner is ${mine.owner}`);
    process.kill(pid, 'SIGKILL');
    await until(async () => ((await spectrum.ps()).some((r) => r.id === mine.id && r.state === 'running') ? undefined : true), `${mine.id} torn down`, 30_000);
  });
});
