// Entry of the extension API tests (`extensionTestsPath`), in the @vscode/test-electron style:
// VS Code loads this module inside the extension host and awaits `run()`. The same bundle runs in
// code-server (npm test) and in desktop VS Code through @vscode/test-electron (npm run test:desktop).
import { runAll } from './runner';
// Test modules register their suites when imported (a bundle can't glob, so they are listed).
import './extension.api';
import './diagnostics.api';
import './settings.api';
import './notes.api';

export async function run(): Promise<void> {
  const results = await runAll();
  const failed = results.filter((r) => !r.ok);
  console.log(`[spectrum-test-summary] ${results.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length > 0) throw new Error(`${failed.length} extension API test(s) failed: ${failed.map((f) => f.name).join('; ')}`);
}
