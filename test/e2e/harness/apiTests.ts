// Runs the extension API tests (test/e2e/api) inside code-server: the bundle is passed as
// `extensionTestsPath` in the workbench URL's payload, the page exposes codeAutomationLog and
// codeAutomationExit (code-server's smoke-test driver calls them), and each `[spectrum-test]`
// line becomes one result.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { RESULT_PREFIX, type TestResult } from '../api/runner';
import { launchBrowser } from './browser';
import { repoRoot } from './paths';

/** Bundles test/e2e/api/index.ts to out/e2e-api/index.js (vscode stays external). */
export async function bundleApiTests(): Promise<string> {
  const outfile = path.join(repoRoot, 'out', 'e2e-api', 'index.js');
  mkdirSync(path.dirname(outfile), { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'test', 'e2e', 'api', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return outfile;
}

export interface ApiRun {
  exitCode: number | 'timeout';
  results: TestResult[];
  log: string[];
}

/**
 * Opens a window whose extension host runs the API tests against the extension at
 * `extensionPath` (the repository: its dist/ bundles) with `folder` as the workspace.
 */
export async function runApiTests(opts: { origin: string; folder: string; extensionPath?: string; timeoutMs?: number }): Promise<ApiRun> {
  const testsPath = await bundleApiTests();
  const authority = new URL(opts.origin).host;
  const remote = (p: string) => `vscode-remote://${authority}${p}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(opts.extensionPath ?? repoRoot)],
    ['extensionTestsPath', remote(testsPath)],
  ]);
  const browser = await launchBrowser();
  const results: TestResult[] = [];
  const log: string[] = [];
  try {
    let done: (code: number) => void = () => {};
    const exited = new Promise<number>((resolve) => (done = resolve));
    await browser.page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      for (const a of Array.isArray(args) ? args : [args]) {
        const text = typeof a === 'string' ? a : JSON.stringify(a);
        log.push(text);
        const at = text.indexOf(RESULT_PREFIX);
        if (at >= 0) results.push(JSON.parse(text.slice(at + RESULT_PREFIX.length)) as TestResult);
      }
    });
    await browser.page.exposeFunction('codeAutomationExit', (code: number) => done(code));
    // The tests' own exit is awaited below; the page's load event can take longer than playwright's
    // 30 s default on a loaded machine.
    await browser.page.goto(`${opts.origin}/?folder=${encodeURIComponent(opts.folder)}&payload=${encodeURIComponent(payload)}`, { waitUntil: 'commit', timeout: 90_000 });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), opts.timeoutMs ?? 180_000)));
    const exitCode = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    return { exitCode, results, log };
  } finally {
    await browser.close();
  }
}
