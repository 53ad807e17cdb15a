// The tiny entry of dist/cli.js: runs the CLI's bundle beside it through the code cache
// (compile-cache.ts), so each command skips compiling it again.
import path from 'node:path';
import { runBundle } from './compile-cache';

runBundle(path.join(__dirname, 'cli-main.js'));
