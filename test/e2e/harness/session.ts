// One describe block's view of the tier: the shared code-server and a fresh browser on its
// workbench. After the block, the browser closes and whatever its tests left running goes.
import { after, before } from 'node:test';
import { launchBrowser, type Browser } from './browser';
import { cli } from './cli';
import { tierServer, type TierServer } from './server';
import { openWorkbench } from './workbench';

export interface Workbench {
  server: TierServer;
  browser: Browser;
}

/** Registers the block's before/after hooks; the fields are set once `before` has run. */
export function useWorkbench(): Workbench {
  const wb = {} as Workbench;
  before(async () => {
    wb.server = await tierServer();
    wb.browser = await launchBrowser();
    await openWorkbench(wb.browser.page, wb.server.origin, wb.server.workspace);
  });
  after(async () => {
    await wb.browser?.close();
    if (wb.server) {
      await cli(wb.server).downAll();
      await wb.server.release();
    }
  });
  return wb;
}
