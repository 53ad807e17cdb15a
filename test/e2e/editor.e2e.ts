// UI tests on the workbench page, against the .vsix installed into the tier's code-server:
// a broken spec shows its squiggle on the right line and its hover text.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, type Browser } from './harness/browser';
import { tierServer, type TierServer } from './harness/server';
import { editorLine, openFile, openWorkbench, screenshot } from './harness/workbench';

describe('editor: a broken sandbox spec', () => {
  let server: TierServer;
  let browser: Browser;
  before(async () => {
    server = await tierServer();
    browser = await launchBrowser();
    await openWorkbench(browser.page, server.origin, server.workspace);
  });
  after(async () => {
    await browser?.close();
    await server?.release();
  });

  test('the YAML syntax error is squiggled on line 4', async () => {
    const { page } = browser;
    await openFile(page, 'broken.sandbox.yaml');
    const squiggle = page.locator('.monaco-editor .squiggly-error').first();
    await squiggle.waitFor({ state: 'attached', timeout: 30_000 });
    const line = editorLine(page, 'image: busybox: latest');
    const [s, l] = [await squiggle.boundingBox(), await line.boundingBox()];
    assert.ok(s && l, 'squiggle or line not rendered');
    // The squiggle sits on the `image:` line, under the value (not at the line's start).
    assert.ok(s.y >= l.y - 2 && s.y + s.height <= l.y + l.height + 4, `squiggle at y=${s.y}, line at y=${l.y}..${l.y + l.height}`);
    assert.ok(s.x > l.x + 20, `squiggle starts at x=${s.x}, line at x=${l.x}`);
    await screenshot(page, 'editor-squiggle');
  });

  test('hovering the squiggle shows the error message', async () => {
    const { page } = browser;
    const squiggle = page.locator('.monaco-editor .squiggly-error').first();
    const box = await squiggle.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: 'Nested mappings are not allowed' }).first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await hover.innerText(), /Nested mappings are not allowed in compact mappings/);
    await screenshot(page, 'editor-hover');
  });
});
