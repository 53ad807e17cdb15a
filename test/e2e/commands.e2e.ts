// The other palette commands against the installed .vsix: the launch pick (workspace specs and a
// template per level, unavailable levels with their reason), Show Host Capabilities, the
// Sandboxes view's welcome content and the status bar count.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cli } from './harness/cli';
import { useWorkbench } from './harness/session';
import { pickItem, runCommand, screenshot } from './harness/workbench';

describe('commands', () => {
  const wb = useWorkbench();

  test('the Sandboxes view welcomes with a launch button when nothing runs', async () => {
    const { page } = wb.browser;
    await runCommand(page, 'Isolation Spectrum: Focus Sandboxes View');
    const welcome = page.locator('.welcome-view-content', { hasText: 'No sandbox is running' });
    await welcome.waitFor({ timeout: 30_000 });
    assert.ok(await welcome.locator('a, .monaco-button', { hasText: 'Launch Sandbox...' }).count() > 0);
    await page.locator('.statusbar-item [aria-label="0 sandboxes running"], .statusbar-item[aria-label="0 sandboxes running"]').first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'commands-welcome');
  });

  test('Launch Sandbox... lists workspace specs and a template per level', async () => {
    const { page } = wb.browser;
    await runCommand(page, 'Isolation Spectrum: Launch Sandbox...');
    const list = page.locator('.quick-input-widget');
    await list.locator('.monaco-list-row', { hasText: 'hello.sandbox.yaml' }).waitFor({ timeout: 30_000 });
    // Each level is either a template or listed as unavailable with its reason.
    for (const level of ['isolate', 'container', 'gvisor', 'microvm', 'vm']) {
      await list.locator('.monaco-list-row', { hasText: new RegExp(`(Template: ${level}|^\\W*${level})`) }).first().waitFor({ timeout: 10_000 });
    }
    await screenshot(page, 'commands-launch-pick');
  });

  test('picking the isolate template launches it and the status bar counts it', async () => {
    const { page } = wb.browser;
    await pickItem(page, 'Template: isolate');
    await page.locator('.statusbar-item [aria-label="1 sandbox running"], .statusbar-item[aria-label="1 sandbox running"]').first().waitFor({ timeout: 60_000 });
    const rows = await cli(wb.server).ps();
    assert.ok(rows.some((r) => r.name === 'template-isolate' && r.state === 'running'), JSON.stringify(rows));
    await screenshot(page, 'commands-template-launched');
    await runCommand(page, 'Isolation Spectrum: Tear Down All');
    await page.locator('.statusbar-item [aria-label="0 sandboxes running"], .statusbar-item[aria-label="0 sandboxes running"]').first().waitFor({ timeout: 60_000 });
  });

  test('Show Host Capabilities opens the doctor report', async () => {
    const { page } = wb.browser;
    await runCommand(page, 'Isolation Spectrum: Show Host Capabilities');
    await page.locator('.monaco-editor .view-lines', { hasText: 'Isolation Spectrum: host capabilities' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.monaco-editor .view-lines', { hasText: '| container | runc' }).first().waitFor({ timeout: 10_000 });
    await screenshot(page, 'commands-capabilities');
  });
});
