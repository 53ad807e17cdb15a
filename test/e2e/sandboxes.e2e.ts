// The launch / view / inspect / logs / shell / tear down flows through the palette and the
// Sandboxes view, against the .vsix installed in the tier's code-server, for each level this
// host runs here (container with runc, gVisor with runsc, an isolate with workerd, a microVM and
// a VM with QEMU).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cli } from './harness/cli';
import { useWorkbench } from './harness/session';
import { openFile, runCommand, screenshot } from './harness/workbench';
import type { Page } from 'playwright-core';

interface Level {
  level: string;
  file: string;
  name: string;
  output: string;
  /** What Open Shell types into its terminal, and what must show (none: the level runs no shell). */
  shell?: { input: string; expect: RegExp };
}

// A container's shell answers with its hostname (the sandbox's name); a VM's with its own kernel
// release (the guest kernel, through the guest agent's terminal).
const HOSTNAME_PROBE = (name: string) => ({ input: 'echo "in-$(hostname)-$((6*7))"\n', expect: new RegExp(`in-${name}-42`) });
const KERNEL_PROBE = { input: 'echo "in-$(uname -r)-$((6*7))"\n', expect: /in-\d+\.\d+\.\d+-\S+-amd64-42/ };

const LEVELS: Level[] = [
  { level: 'container', file: 'hello.sandbox.yaml', name: 'hello', output: 'hello-from-e2e', shell: HOSTNAME_PROBE('hello') },
  { level: 'gvisor', file: 'guarded.sandbox.yaml', name: 'guarded', output: 'hello-from-gvisor', shell: HOSTNAME_PROBE('guarded') },
  { level: 'isolate', file: 'edge.sandbox.yaml', name: 'edge', output: '' },
  { level: 'microvm', file: 'tiny.sandbox.yaml', name: 'tiny', output: 'hello-from-microvm', shell: KERNEL_PROBE },
  { level: 'vm', file: 'full.sandbox.yaml', name: 'full', output: 'hello-from-vm', shell: KERNEL_PROBE },
];

const view = (page: Page) => page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Sandboxes' }) });
const row = (page: Page, name: string) => view(page).locator('.monaco-list-row', { hasText: name }).first();

async function inlineAction(page: Page, name: string, action: string): Promise<void> {
  const r = row(page, name);
  await r.hover();
  await r.locator(`.action-label[aria-label^="${action}"]`).click();
}

describe('sandboxes: launch, view, inspect, logs, shell, tear down', () => {
  const wb = useWorkbench();

  for (const l of LEVELS) {
    describe(l.level, () => {
      test(`launch ${l.file} from the palette and see it running in the view`, async () => {
        const { page } = wb.browser;
        await openFile(page, l.file);
        await runCommand(page, 'Isolation Spectrum: Launch This File');
        await runCommand(page, 'Isolation Spectrum: Focus Sandboxes View');
        await row(page, l.name).waitFor({ timeout: 60_000 });
        await view(page).locator('.monaco-list-row', { hasText: l.name }).filter({ hasText: 'running' }).first().waitFor({ timeout: 60_000 });
        const rows = await cli(wb.server).ps();
        const mine = rows.find((r) => r.name === l.name);
        assert.ok(mine, `the engine does not list ${l.name}: ${JSON.stringify(rows)}`);
        assert.equal(mine.isolation, l.level);
        assert.match(mine.owner, /^window:\d+$/);
        await screenshot(page, `${l.level}-view`);
      });

      test('inspect shows its live data in a panel', async () => {
        const { page } = wb.browser;
        await inlineAction(page, l.name, 'Inspect Sandbox');
        await page.locator('.tab', { hasText: `Inspect: ${l.name}` }).waitFor({ timeout: 30_000 });
        const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
        await frame.locator('td[data-field="state"]', { hasText: 'running' }).waitFor({ timeout: 30_000 });
        assert.equal(await frame.locator('td[data-field="level"]').innerText(), l.level);
        await screenshot(page, `${l.level}-inspect`);
      });

      if (l.output) {
        test('show logs follows its output', async () => {
          const { page } = wb.browser;
          await inlineAction(page, l.name, 'Show Logs');
          const out = page.locator('.part.panel .monaco-editor .view-lines', { hasText: l.output });
          await out.first().waitFor({ timeout: 30_000 });
          await screenshot(page, `${l.level}-logs`);
        });
      }

      const shell = l.shell;
      if (shell) {
        test('open shell runs a command inside it', async () => {
          const { page } = wb.browser;
          await inlineAction(page, l.name, 'Open Shell');
          const term = page.locator('.terminal-wrapper.active .xterm, .terminal-group .xterm').last();
          await term.waitFor({ timeout: 30_000 });
          await term.click();
          // Type once the shell shows its prompt (busybox sh: `/ # `), not after a fixed pause.
          await term.locator('.xterm-rows', { hasText: /\S\s?[#$](\s|$)/ }).waitFor({ timeout: 60_000 });
          await page.keyboard.type(shell.input);
          await page.locator('.xterm-rows', { hasText: shell.expect }).first().waitFor({ timeout: 30_000 });
          await screenshot(page, `${l.level}-shell`);
          await page.keyboard.type('exit\n');
        });
      }

      test('tear down removes it from the view and the engine', async () => {
        const { page } = wb.browser;
        await runCommand(page, 'Isolation Spectrum: Focus Sandboxes View');
        await inlineAction(page, l.name, 'Tear Down Sandbox');
        await row(page, l.name).waitFor({ state: 'detached', timeout: 60_000 });
        const rows = await cli(wb.server).ps();
        assert.equal(rows.find((r) => r.name === l.name), undefined, JSON.stringify(rows));
        await screenshot(page, `${l.level}-torn-down`);
      });
    });
  }
});
