// Driving the code-server workbench page: wait for it, run palette commands, open files, and
// save a screenshot after each DOM assertion (test-results/e2e/<name>.png).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { resultsDir } from './paths';

export async function openWorkbench(page: Page, origin: string, folder: string): Promise<void> {
  // Only the navigation itself: the workbench's own readiness is awaited below (on a loaded machine
  // the page's load event alone can pass playwright's 30 s default).
  await page.goto(`${origin}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'commit', timeout: 90_000 });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 90_000 });
  // The explorer shows the folder once the remote file system answers.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

const quickInput = (page: Page) => page.locator('.quick-input-widget');

async function pickFromQuickInput(page: Page, opener: () => Promise<void>, text: string, label: string | RegExp, tries: number): Promise<void> {
  let lastError: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      await opener();
      const input = quickInput(page).locator('input');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(text, { timeout: 5_000 });
      const row = quickInput(page).locator('.monaco-list-row', { hasText: label }).first();
      await row.waitFor({ state: 'visible', timeout: 4_000 });
      await row.click();
      return;
    } catch (e) {
      // Right after the workbench renders, contributed commands may not be registered yet; a
      // focused terminal or a closing widget can also swallow the first key press.
      lastError = e;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
  }
  throw new Error(`'${text}' found no entry '${label}' after ${tries} tries: ${String(lastError)}`);
}

/** Runs a command through the palette by its title, e.g. `Isolation Spectrum: Tear Down All`. */
export async function runCommand(page: Page, title: string, tries = 15): Promise<void> {
  await pickFromQuickInput(page, () => page.keyboard.press('F1'), `>${title}`, title, tries);
}

/** Opens a workspace file through Quick Open and waits for its editor tab. */
export async function openFile(page: Page, name: string): Promise<void> {
  await pickFromQuickInput(page, () => page.keyboard.press('Control+P'), name, name, 5);
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
}

/** Picks an entry of an open quick pick (a command's own pick list). */
export async function pickItem(page: Page, label: string | RegExp): Promise<void> {
  const row = quickInput(page).locator('.monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await row.click();
}

export function editorLine(page: Page, text: string): Locator {
  return page.locator('.monaco-editor .view-lines .view-line', { hasText: text }).first();
}
