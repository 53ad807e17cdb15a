// `npm run package`: a production build, THIRD_PARTY_NOTICES.md for what the bundles and the
// .vsix contain, then a platform-specific .vsix (linux-x64) made offline by @vscode/vsce.
// The allow-list in .vscodeignore decides what ships.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, entries, esbuildOptions } from './build.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const TARGET = 'linux-x64';

function pkgJson() {
  return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
}

export function vsixPath() {
  const { name, version } = pkgJson();
  return path.join(root, `${name}-${TARGET}-${version}.vsix`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed with exit code ${r.status}`);
}

/** The npm packages esbuild pulls into the bundles, plus the shipped workerd packages. */
async function shippedPackages() {
  const esbuild = await import('esbuild');
  // The build's own options, so the notices list what the bundles really resolve (mainFields).
  const result = await esbuild.build({
    ...esbuildOptions({ production: true }),
    entryPoints: entries.flatMap((e) => e.entryPoints), write: false, metafile: true, outdir: 'out/notices', logLevel: 'silent',
  });
  const dirs = new Set(['node_modules/workerd', 'node_modules/@cloudflare/workerd-linux-64']);
  for (const input of Object.keys(result.metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]);
  }
  return [...dirs].sort();
}

function licenseText(dir) {
  const abs = path.join(root, dir);
  const file = readdirSync(abs).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  return file ? readFileSync(path.join(abs, file), 'utf8').trim() : undefined;
}

export async function writeNotices() {
  const parts = [
    '# Third-party notices',
    '',
    'Isolation Spectrum bundles or ships the following npm packages. Each is listed with its',
    'version, its license and, where the package includes one, the license text.',
    '',
  ];
  for (const dir of await shippedPackages()) {
    const meta = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
    const text = licenseText(dir);
    parts.push(`## ${meta.name} ${meta.version}`, '', `License: ${meta.license ?? 'see the package'}`, '');
    if (text) parts.push('```text', text, '```', '');
  }
  // Data files vendored from other projects (schemas) ship too: each folder's SOURCE.md says
  // where from and under which licence, and its LICENSE/NOTICE sit beside it in the .vsix.
  const vendor = path.join(root, 'schemas', 'vendor');
  if (existsSync(vendor)) {
    parts.push('# Vendored data files', '');
    for (const name of readdirSync(vendor).sort()) {
      const source = path.join(vendor, name, 'SOURCE.md');
      if (existsSync(source)) parts.push(readFileSync(source, 'utf8').replace(/^# /, '## ').trimEnd(), '', `Licence text: \`schemas/vendor/${name}/LICENSE\`.`, '');
    }
  }
  writeFileSync(path.join(root, 'THIRD_PARTY_NOTICES.md'), parts.join('\n'));
}

/**
 * Everything ships from a staging folder (out/vsix-<target>), built there in production mode, so
 * a concurrent dev build writing dist/ can't mix into the package.
 */
async function stage() {
  const dir = path.join(root, 'out', `vsix-${TARGET}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // scripts/build.mjs's entries and options, minified and without source maps, into the staging folder.
  await build({ production: true, outdir: dir });
  const pkg = pkgJson();
  // Only workerd ships as a package (its binary is run, not bundled); the rest is in the bundles.
  pkg.dependencies = { workerd: pkg.dependencies.workerd };
  delete pkg.devDependencies;
  delete pkg.scripts;
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  for (const f of ['README.md', 'LICENSE', 'THIRD_PARTY_NOTICES.md', '.vscodeignore', 'schemas', 'notes', 'media', 'snippets']) {
    if (existsSync(path.join(root, f))) cpSync(path.join(root, f), path.join(dir, f), { recursive: true });
  }
  for (const m of ['node_modules/workerd', `node_modules/@cloudflare/workerd-${TARGET.replace('x64', '64')}`]) {
    cpSync(path.join(root, m), path.join(dir, m), { recursive: true });
  }
  return dir;
}

/** The staged bundles must run on their own: the CLI answers --version, the server initialize. */
async function smokeTest(dir) {
  const cli = spawnSync(process.execPath, [path.join(dir, 'dist', 'cli.js'), '--version'], { encoding: 'utf8', timeout: 20_000 });
  if (cli.status !== 0) throw new Error(`staged dist/cli.js --version failed:\n${cli.stderr}`);
  // The guest agent ships built (users need no compiler for exec and cp into VMs): it must run.
  const agent = spawnSync(path.join(dir, 'dist', 'spectrum-agent'), ['--usage'], { encoding: 'utf8', timeout: 5_000 });
  if (agent.status !== 2 || !/usage: spectrum-agent/.test(agent.stderr)) throw new Error(`staged dist/spectrum-agent is missing or does not run: ${agent.error?.message ?? agent.stderr}`);
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  // stdin stays open until the answer comes: the server exits on end of input.
  const server = spawn(process.execPath, [path.join(dir, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const answered = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    server.stdout.on('data', (d) => {
      out += d;
      if (/"id":1,"result":\{"capabilities"/.test(out)) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    server.stderr.on('data', (d) => (err += d));
    server.on('exit', () => {
      clearTimeout(timer);
      resolve(/"id":1,"result":\{"capabilities"/.test(out));
    });
    server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
  server.kill('SIGKILL');
  if (!answered) throw new Error(`staged dist/server.js did not answer initialize:\n${out}\n${err}`);
}

export async function packageVsix() {
  const started = Date.now();
  await writeNotices();
  const dir = await stage();
  await smokeTest(dir);
  const out = vsixPath();
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  run(process.execPath, [vsce, 'package', '--target', TARGET, '--allow-missing-repository', '--out', out], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  rmSync(dir, { recursive: true, force: true }); // a 160 MB copy of workerd: not worth keeping
  const mb = (statSync(out).size / 1024 / 1024).toFixed(1);
  console.log(`[package] ${path.relative(root, out)}: ${mb} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return out;
}

/** Packages only when an input is newer than the .vsix (the e2e tier and `npm start` call this). */
export async function ensureVsix() {
  const out = vsixPath();
  if (existsSync(out)) {
    const built = statSync(out).mtimeMs;
    const inputs = ['engine', 'language-server', 'extension', 'media', 'snippets', 'schemas', 'notes', 'package.json', 'package-lock.json', '.vscodeignore', 'README.md'];
    if (inputs.every((p) => newest(path.join(root, p)) < built)) return out;
  }
  return packageVsix();
}

function newest(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const name of readdirSync(p)) m = Math.max(m, newest(path.join(p, name)));
  return m;
}

// No top-level await: the TypeScript e2e tests import this module, and tsx loads it as CommonJS.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  import('./setup.mjs')
    .then(({ ensureSetup }) => ensureSetup({ e2e: false }))
    .then(() => packageVsix())
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
