// The tiny entry of dist/cli.js: loads the CLI's ES module chunks beside it (cli-main.mjs), with
// Node's compile cache on where Node has one (compile-cache.ts). Measured on Node 20, which has
// no code cache for ES modules: `run` costs the same CPU as the one CommonJS bundle through our
// cache did, and every lighter verb less, since it reads only its own chunks.
import path from 'node:path';
import { runModule } from './compile-cache';

runModule(path.join(__dirname, 'cli-main.mjs')).catch((err: unknown) => {
  process.stderr.write(`spectrum: cannot load ${path.join(__dirname, 'cli-main.mjs')}: ${(err as Error).message}\n`);
  process.exitCode = 125;
});
