// UI tests on the workbench page, against the .vsix installed into the tier's code-server:
// a broken spec shows its squiggle on the right line and its hover text, and a quick fix picked
// from the Ctrl+. menu, as a person would, rewrites the spec and clears its diagnostic.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Browser } from './harness/browser';
import { useWorkbench } from './harness/session';
import { editorLine, openFile, runCommand, screenshot } from './harness/workbench';

describe('editor: a broken sandbox spec', () => {
  const wb = useWorkbench();

  // An error squiggle on the line showing `text` (other diagnostics may squiggle other lines).
  async function squiggleOnLine(page: Browser['page'], text: string) {
    const line = editorLine(page, text);
    await line.waitFor({ timeout: 30_000 });
    const deadline = Date.now() + 30_000;
    for (;;) {
      // Measured afresh each round: code lenses arriving later shift every line down.
      // null while Monaco re-renders its view lines (it recycles their elements): measure again.
      const l = await line.boundingBox();
      const s = l && (await squiggleWithin(page, l));
      if (l && s) return { squiggle: s, line: l };
      if (Date.now() > deadline) throw new Error(`no error squiggle on the line \`${text}\` within 30 s`);
      await page.waitForTimeout(250);
    }
  }

  async function squiggleWithin(page: Browser['page'], l: { y: number; height: number }) {
    for (const sq of await page.locator('.monaco-editor .squiggly-error').all()) {
      const s = await sq.boundingBox();
      if (s && s.y >= l.y - 2 && s.y + s.height <= l.y + l.height + 4) return s;
    }
    return undefined;
  }

  const squiggleOnImageLine = (page: Browser['page']) => squiggleOnLine(page, 'image: busybox: latest');

  test('the YAML syntax error is squiggled on line 4, under the value', async () => {
    const { page } = wb.browser;
    await openFile(page, 'broken.sandbox.yaml');
    const { squiggle, line } = await squiggleOnImageLine(page);
    // Under `busybox: latest` (column 8), not from the start of the line.
    assert.ok(squiggle.x > line.x + 20, `squiggle starts at x=${squiggle.x}, line at x=${line.x}`);
    await screenshot(page, 'editor-squiggle');
  });

  test('hovering the squiggle shows the error message', async () => {
    const { page } = wb.browser;
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

  test('gpu on a microvm: squiggled, and the quick fix "Move to isolation level vm" clears it', async () => {
    const { page } = wb.browser;
    await openFile(page, 'gpu.sandbox.yaml');
    const gpuLine = 'gpu: all';
    await squiggleOnLine(page, gpuLine);
    await screenshot(page, 'editor-gpu-squiggle');

    // Put the caret on the squiggled value and open the quick fix menu with Ctrl+., as a person
    // would (the light bulb offers the same menu). A late layout shift can make the click miss
    // the line or swallow the key press, so retry a few times.
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: /Move to isolation level vm \(/ }).first();
    for (let attempt = 1; ; attempt++) {
      const { squiggle } = await squiggleOnLine(page, gpuLine);
      await page.mouse.click(squiggle.x + squiggle.width / 2, squiggle.y + squiggle.height / 2);
      await page.keyboard.press('Escape'); // closes a hover the click may have opened
      await page.keyboard.press('Control+Period');
      try {
        await fix.waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (e) {
        await page.keyboard.press('Escape');
        if (attempt >= 4) throw e;
      }
    }
    const menu = await page.locator('.action-widget').first().innerText();
    assert.match(menu, /Move to isolation level gvisor/);
    assert.match(menu, /Remove "gpu"/);
    await screenshot(page, 'editor-gpu-quickfix-menu');

    await fix.click();
    // The level's line now reads `isolation: vm`, the one for microvm is gone...
    await editorLine(page, 'isolation: vm').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('.monaco-editor .view-lines .view-line', { hasText: 'isolation: microvm' }).count(), 0);
    // ...and once the server re-checks the edited text, `gpu: all` carries no squiggle any more.
    const line = editorLine(page, gpuLine);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const l = await line.boundingBox();
      if (l && !(await squiggleWithin(page, l))) break;
      if (Date.now() > deadline) throw new Error('the gpu line is still squiggled 20 s after the quick fix');
      await page.waitForTimeout(250);
    }

    // Saved with Ctrl+S, the file itself reads the new level: the fix changed the text, not only
    // the markers. (The palette's File: Save is the fallback should the key press go astray.)
    const file = path.join(wb.server.workspace, 'gpu.sandbox.yaml');
    const saved = async (ms: number) => {
      for (const until = Date.now() + ms; Date.now() < until; await page.waitForTimeout(200)) {
        if (/^isolation: vm$/m.test(readFileSync(file, 'utf8'))) return true;
      }
      return false;
    };
    await page.keyboard.press('Control+S');
    if (!(await saved(5_000))) await runCommand(page, 'File: Save');
    assert.ok(await saved(10_000), `gpu.sandbox.yaml on disk after saving:\n${readFileSync(file, 'utf8')}`);
    assert.match(readFileSync(file, 'utf8'), /^gpu: all$/m);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /^isolation: microvm/m);
    // Taken last, so the picture is of the state every assertion above has checked: saved, fixed.
    await page.locator('.tabs-container .tab.active:not(.dirty)', { hasText: 'gpu.sandbox.yaml' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'editor-gpu-fixed');
  });
});
