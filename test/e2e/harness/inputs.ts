// Answering input boxes and the simple file dialogs code-server shows, and opening a file by its
// path (a file written during a test may not be in Quick Open's index yet).
import path from 'node:path';
import type { Page } from 'playwright-core';
import { pickItem, runCommand } from './workbench';

const quickInputBox = (page: Page) => page.locator('.quick-input-widget input').first();

export interface Ready {
  placeholder?: string;
  value?: string;
  valuePrefix?: string;
}

/**
 * Types into the input box (or simple file dialog) once it is the one expected (by placeholder or
 * pre-filled value) and accepts it: the palette's or the previous box's widget stays visible for
 * a moment after a pick, and typing into it would be lost.
 */
export async function answer(page: Page, ready: Ready, text: string): Promise<void> {
  const input = quickInputBox(page);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = await input.evaluate((el) => ({ placeholder: (el as { placeholder: string }).placeholder, value: (el as { value: string }).value })).catch(() => undefined);
    const ok =
      now &&
      (ready.placeholder === undefined || now.placeholder === ready.placeholder) &&
      (ready.value === undefined || now.value === ready.value) &&
      (ready.valuePrefix === undefined || now.value.startsWith(ready.valuePrefix));
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`no input box like ${JSON.stringify(ready)}; the widget shows ${JSON.stringify(now)}`);
    await page.waitForTimeout(200);
  }
  await input.fill(text);
  // Enter can be ignored while the box is still validating what was typed: press it again until
  // the box has gone (its placeholder/value no longer what was expected).
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    const after = await input.evaluate((el) => ({ placeholder: (el as { placeholder: string }).placeholder, value: (el as { value: string }).value })).catch(() => undefined);
    if (!after || after.value !== text || (ready.placeholder !== undefined && after.placeholder !== ready.placeholder)) return;
    if (!(await input.isVisible())) return;
  }
}

/** Opens a file by its path through File: Open File... (Quick Open may not have indexed a new file yet). */
export async function openByPath(page: Page, file: string): Promise<void> {
  await runCommand(page, 'File: Open File...');
  await answer(page, { valuePrefix: '/' }, file);
  await page.locator('.tabs-container .tab.active', { hasText: path.basename(file) }).waitFor({ timeout: 30_000 });
}

/**
 * Launches a spec written during the run through Launch Sandbox...: its pick lists the workspace's
 * specs as found when it opens, where Quick Open (or File: Open File...) may not know a new file yet.
 */
export async function launchWorkspaceSpec(page: Page, file: string): Promise<void> {
  await runCommand(page, 'Isolation Spectrum: Launch Sandbox...');
  await pickItem(page, file);
}
