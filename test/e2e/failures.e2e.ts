// A launch that fails in the engine reaches the user as an error notification with the engine's
// message: missing.sandbox.yaml names an image directory that does not exist.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cli } from './harness/cli';
import { useWorkbench } from './harness/session';
import { openFile, runCommand, screenshot } from './harness/workbench';

describe('a failing launch', () => {
  const wb = useWorkbench();

  test('Launch This File on a spec with a missing image reports the engine error as a notification, and nothing runs', async () => {
    const { page } = wb.browser;
    await openFile(page, 'missing.sandbox.yaml');
    await runCommand(page, 'Isolation Spectrum: Launch This File');
    // In headless code-server this error lands in the notification center without a toast (the
    // toast container stays empty), so the test opens the center, as a person would from the
    // bell, and waits there: the list updates live while the launch fails.
    await runCommand(page, 'Notifications: Show Notifications');
    const item = page.locator('.notifications-center .notification-list-item', { hasText: 'Launching missing.sandbox.yaml failed' }).first();
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await item.innerText();
    // The engine's own message, with the path it could not find.
    assert.match(text, /no-such-rootfs does not exist/);
    assert.match(text, /Source: Isolation Spectrum/);
    // An error, with its way to the details.
    assert.ok((await item.locator('.codicon-error').count()) > 0, `not an error notification: ${text}`);
    assert.ok((await item.locator('.monaco-button', { hasText: 'Show Output' }).count()) > 0, `no Show Output action: ${text}`);
    assert.deepEqual((await cli(wb.server).ps()).filter((r) => r.name === 'missing'), []);
    await screenshot(page, 'failures-launch-error');
  });
});
