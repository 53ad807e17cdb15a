// Bundles the entry points with esbuild. `vscode` stays external: the extension host provides it.
// The options and entries here are the one source of truth: scripts/package.mjs builds the .vsix
// and lists third-party notices from them too.
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** esbuild options shared by every entry; `production` minifies and drops source maps. */
export function esbuildOptions({ production = false } = {}) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    absWorkingDir: root,
    external: ['vscode'],
    // jsonc-parser's UMD build requires its own files at run time; its ESM build bundles.
    mainFields: ['module', 'main'],
  };
}

/** Entry point, output path relative to the repository (or a staging folder), extra options. */
export const entries = [
  { entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['language-server/server.ts'], outfile: 'dist/server.js' },
  // The CLI and the monitor start as a new process each time: a tiny entry runs their bundle
  // through V8's code cache (engine/cli/compile-cache.ts), so they are not compiled every time.
  { entryPoints: ['engine/cli/boot-cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['engine/cli/main.ts'], outfile: 'dist/cli-main.js' },
  { entryPoints: ['engine/cli/boot-monitor.ts'], outfile: 'dist/monitor.js' },
  { entryPoints: ['engine/monitor/main.ts'], outfile: 'dist/monitor-main.js' },
  { entryPoints: ['engine/isolates/host-main.ts'], outfile: 'dist/isolate-host.js' },
];

/** Builds every entry into `outdir` (the repository root by default, so into dist/). */
export async function build({ watch = false, production = false, outdir = root } = {}) {
  const common = esbuildOptions({ production });
  const contexts = await Promise.all(
    entries.map((e) => esbuild.context({ ...common, ...e, outfile: path.resolve(outdir, e.outfile) })),
  );
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

// No top-level await: scripts/package.mjs imports this module, and the TypeScript e2e tests
// import that one through tsx, which loads it as CommonJS.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  build({ watch: process.argv.includes('--watch'), production: process.argv.includes('--production') }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
