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

  // Other diagnostics (semantic ones) may squiggle other lines: find the one on the `image:` line.
  async function squiggleOnImageLine(page: Browser['page']) {
    const line = editorLine(page, 'image: busybox: latest');
    await line.waitFor({ timeout: 30_000 });
    const deadline = Date.now() + 30_000;
    for (;;) {
      // Measured afresh each round: code lenses arriving later shift every line down.
      const l = await line.boundingBox();
      assert.ok(l, 'line 4 not rendered');
      for (const sq of await page.locator('.monaco-editor .squiggly-error').all()) {
        const s = await sq.boundingBox();
        if (s && s.y >= l.y - 2 && s.y + s.height <= l.y + l.height + 4) return { squiggle: s, line: l };
      }
      if (Date.now() > deadline) throw new Error('no error squiggle on line 4 (`image: busybox: latest`) within 30 s');
      await page.waitForTimeout(250);
    }
  }

  test('the YAML syntax error is squiggled on line 4, under the value', async () => {
    const { page } = browser;
    await openFile(page, 'broken.sandbox.yaml');
    const { squiggle, line } = await squiggleOnImageLine(page);
    // Under `busybox: latest` (column 8), not from the start of the line.
    assert.ok(squiggle.x > line.x + 20, `squiggle starts at x=${squiggle.x}, line at x=${line.x}`);
    await screenshot(page, 'editor-squiggle');
  });

  test('hovering the squiggle shows the error message', async () => {
    const { page } = browser;
    const hover = page.locator('.monaco-hover', { hasText: 'Nested mappings are not allowed' }).first();
    // A hover needs the pointer to arrive; late layout shifts (code lenses) can move the squiggle
    // from under it, so move away, measure again and come back until the hover shows.
    for (let attempt = 1; ; attempt++) {
      const { squiggle } = await squiggleOnImageLine(page);
      await page.mouse.move(5, 5);
      await page.mouse.move(squiggle.x + squiggle.width / 2, squiggle.y + squiggle.height / 2, { steps: 5 });
      try {
        await hover.waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (e) {
        if (attempt >= 4) throw e;
      }
    }
    assert.match(await hover.innerText(), /Nested mappings are not allowed in compact mappings/);
    await screenshot(page, 'editor-hover');
  });
});
