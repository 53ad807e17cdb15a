// `npm run test:desktop`: the same extension API tests as the e2e tier (test/e2e/api), run in a
// desktop VS Code that @vscode/test-electron downloads. Needs internet access and the package:
//   npm install --no-save @vscode/test-electron
// Not part of `npm test` (no desktop VS Code can be downloaded on the CI machines).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSetup } from './setup.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

let runTests;
try {
  ({ runTests } = await import('@vscode/test-electron'));
} catch {
  console.error('test:desktop needs @vscode/test-electron: npm install --no-save @vscode/test-electron');
  process.exit(1);
}

await ensureSetup({ e2e: false });
const { tsImport } = await import('tsx/esm/api');
const { bundleApiTests } = await tsImport('../test/e2e/harness/apiTests.ts', import.meta.url);
const testsPath = await bundleApiTests();
const workspace = mkdtempSync(path.join(os.tmpdir(), 'spectrum-desktop-ws-'));
cpSync(path.join(root, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
const userData = mkdtempSync(path.join(os.tmpdir(), 'spectrum-desktop-user-'));
let code = 0;
try {
  await runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: testsPath,
    launchArgs: [workspace, '--disable-workspace-trust', '--disable-extensions', `--user-data-dir=${userData}`],
  });
  console.log('desktop extension API tests passed');
} catch (e) {
  console.error(`desktop extension API tests failed: ${e?.message ?? e}`);
  code = 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(userData, { recursive: true, force: true });
}
process.exit(code);
