// The other palette commands against the installed .vsix: the launch pick (workspace specs, a
// template per level the engine's doctor says this host runs, the others with their reason),
// Show Host Capabilities, the Sandboxes view's welcome content and the status bar count.
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

  test('Launch Sandbox... lists workspace specs, a template per runnable level and the others with their reason', async () => {
    const { page } = wb.browser;
    // What the engine says this host runs, from the CLI (the same state and environment).
    const doctor = JSON.parse(await cli(wb.server).exec('doctor', '--json')) as { levels: Array<{ isolation: string; support: { ok: boolean; reason?: string } }> };
    await runCommand(page, 'Isolation Spectrum: Launch Sandbox...');
    try {
      const list = page.locator('.quick-input-widget');
      await list.locator('.monaco-list-row', { hasText: 'hello.sandbox.yaml' }).waitFor({ timeout: 30_000 });
      for (const level of ['isolate', 'container', 'gvisor', 'microvm', 'vm']) {
        const reports = doctor.levels.filter((l) => l.isolation === level);
        assert.ok(reports.length > 0, `the doctor has no row for ${level}`);
        const usable = reports.find((l) => l.support.ok);
        if (usable) {
          // A template, with the runtime's caveat when it has one (e.g. gVisor's platform, TCG).
          const template = list.locator('.monaco-list-row', { hasText: `Template: ${level}` }).first();
          await template.waitFor({ timeout: 10_000 });
          if (usable.support.reason) assert.ok((await template.innerText()).includes(usable.support.reason.slice(0, 60)), `${level}: ${await template.innerText()} lacks "${usable.support.reason}"`);
        } else {
          // Unavailable: its own row under "Not available on this host", carrying the reason.
          const reason = reports[0].support.reason ?? 'no runtime found';
          const unavailable = list.locator('.monaco-list-row', { hasText: new RegExp(`^\\W*${level}\\b`) }).first();
          await unavailable.waitFor({ timeout: 10_000 });
          assert.ok((await unavailable.innerText()).includes(reason.slice(0, 60)), `${level}: ${await unavailable.innerText()} lacks "${reason}"`);
          assert.equal(await list.locator('.monaco-list-row', { hasText: `Template: ${level}` }).count(), 0, `${level} is offered as a template though the host can't run it`);
        }
      }
      await screenshot(page, 'commands-launch-pick');
    } finally {
      await page.keyboard.press('Escape');
    }
  });

  test('picking the isolate template launches it and the status bar counts it', async () => {
    const { page } = wb.browser;
    // Its own pick list: this test doesn't lean on the one the previous test opened.
    await runCommand(page, 'Isolation Spectrum: Launch Sandbox...');
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
