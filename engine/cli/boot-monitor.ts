// The tiny entry of dist/monitor.js: runs the monitor's bundle beside it through the code cache
// (compile-cache.ts), so each monitor skips compiling it again before it can spawn a runtime.
import path from 'node:path';
import { runBundle } from './compile-cache';

runBundle(path.join(__dirname, 'monitor-main.js'));
