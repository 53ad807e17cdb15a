// The privilege modal (issue 12, item 3): launching a spec that asks for `network: host` and a
// writable mount of /etc from the editor shows a modal naming each widened access before anything
// starts; Cancel launches nothing, "Launch Anyway" launches it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { cli } from './harness/cli';
import { useWorkbench } from './harness/session';
import { openFile, runCommand, screenshot } from './harness/workbench';

const SPEC = `name: widened
isolation: container
image: busybox
command: [/bin/sleep, "300"]
network: host
mounts: [{ source: /etc, target: /host-etc, writable: true }]
`;

// Ran twice against a private tier: the first run reached the modal and its text named both
// privileges (only the label pattern was wrong, since fixed); in the second, Quick Open did not
// list the file written after the window had opened. It is now written before the window opens.
const UNVERIFIED = 'not yet green: the spec is now written before the window opens (Quick Open missed a file written after); remove this skip after one passing run';

describe('the privilege modal', () => {
  // Before the workbench opens (hooks run in order), into this run's own copy of the workspace:
  // the shared fixtures stay as they are.
  before(() => {
    if (process.env.SPECTRUM_E2E_WORKSPACE) writeFileSync(path.join(process.env.SPECTRUM_E2E_WORKSPACE, 'widened.sandbox.yaml'), SPEC);
  });
  const wb = useWorkbench();

  test('names each widened access; Cancel launches nothing, Launch Anyway launches it', { skip: UNVERIFIED }, async () => {
    const { page } = wb.browser;
    await openFile(page, 'widened.sandbox.yaml');
    const dialog = page.locator('.monaco-dialog-box');
    const ask = async () => {
      await runCommand(page, 'Isolation Spectrum: Launch This File');
      await dialog.waitFor({ state: 'visible', timeout: 60_000 });
      return dialog.innerText();
    };

    const text = await ask();
    assert.match(text, /widened\.sandbox\.yaml asks for 2 privileges that weaken its sandbox\. Launch it anyway\?/);
    assert.match(text, /network: host \(the sandbox shares the host's network stack\)/);
    assert.match(text, /writable mount of \/etc at \/host-etc/);
    await screenshot(page, 'privileges-modal');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    // Nothing started, or even recorded: the refusal came before the launch.
    await page.waitForTimeout(2_000);
    assert.deepEqual((await cli(wb.server).ps()).filter((r) => r.name === 'widened'), []);

    await ask();
    await dialog.locator('.monaco-button', { hasText: 'Launch Anyway' }).click();
    const deadline = Date.now() + 60_000;
    let rows = await cli(wb.server).ps();
    while (!rows.some((r) => r.name === 'widened' && r.state === 'running') && Date.now() < deadline) {
      await page.waitForTimeout(500);
      rows = await cli(wb.server).ps();
    }
    assert.deepEqual(rows.filter((r) => r.name === 'widened').map((r) => r.state), ['running']);
    await cli(wb.server).downAll();
  });
});
