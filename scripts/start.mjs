// `npm start`: set up, build, package the .vsix, install it into a local code-server on
// 127.0.0.1 with examples/ opened, print the one line with the URL, serve until SIGINT/SIGTERM,
// then stop every process it started.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSetup } from './setup.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

await ensureSetup({ e2e: true });
const { packageVsix } = await import('./package.mjs');
const { startCodeServer } = await import('./toolchain.mjs');
const os = await import('node:os');

const vsix = await packageVsix();
const workspace = path.join(root, 'examples');
const cs = await startCodeServer({
  vsix,
  workspace,
  label: 'start',
  // Sandboxes launched here are the user's: the CLI (`spectrum ps`) sees the same state.
  env: { XDG_STATE_HOME: process.env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state') },
});

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n[start] ${signal}: stopping code-server and everything it started`);
  await cs.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
cs.exited.then(() => {
  if (!stopping) {
    console.error(`[start] code-server exited on its own; its log: ${cs.logFile}`);
    void cs.stop().then(() => process.exit(1));
  }
});

console.log(`Isolation Spectrum is running at ${cs.folderUrl(workspace).replace(/%2F/g, '/')}`);
