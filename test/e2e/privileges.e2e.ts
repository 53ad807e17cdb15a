// The privilege modal (issue 12, item 3): launching a spec that asks for `network: host` and a
// writable mount of /etc from the editor shows a modal naming each widened access before anything
// starts; Cancel launches nothing, "Launch Anyway" launches it.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cli } from './harness/cli';
import { useWorkbench } from './harness/session';
import { launchWorkspaceSpec } from './harness/inputs';
import { screenshot } from './harness/workbench';

const SPEC = `name: widened
isolation: container
image: busybox
command: [/bin/sleep, "300"]
network: host
mounts: [{ source: /etc, target: /host-etc, writable: true }]
`;

describe('the privilege modal', () => {
  const wb = useWorkbench();

  test('names each widened access; Cancel launches nothing, Launch Anyway launches it', async () => {
    const { page } = wb.browser;
    // Written into this tier's workspace for this test only: the other files' workspace stays as it is.
    const spec = path.join(wb.server.workspace, 'widened.sandbox.yaml');
    writeFileSync(spec, SPEC);
    try {
      const dialog = page.locator('.monaco-dialog-box');
      const ask = async () => {
        await launchWorkspaceSpec(page, 'widened.sandbox.yaml');
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
    } finally {
      rmSync(spec, { force: true });
    }
  });
});
