// Bundles the entry points with esbuild. `vscode` stays external: the extension host provides it.
// The options and entries here are the one source of truth: scripts/package.mjs builds the .vsix
// and lists third-party notices from them too.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { buildAgent } from './agent-build.mjs';

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

// ES module chunks run in Node as CommonJS bundles do: `require` for the CommonJS packages they
// hold, `__filename`/`__dirname` for the engine's paths beside its bundles (every chunk is in dist/).
const ESM_BANNER = [
  "import { createRequire as __spectrumRequire } from 'node:module';",
  "import { fileURLToPath as __spectrumPath } from 'node:url';",
  "import { dirname as __spectrumDir } from 'node:path';",
  'const require = __spectrumRequire(import.meta.url);',
  'const __filename = __spectrumPath(import.meta.url);',
  'const __dirname = __spectrumDir(__filename);',
].join(' ');

/** Entry point, output path relative to the repository (or a staging folder), extra options. */
export const entries = [
  { entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['language-server/server.ts'], outfile: 'dist/server.js' },
  // The CLI and the monitor start as a new process each time: a tiny entry runs their bundle
  // through V8's code cache (engine/cli/compile-cache.ts), so they are not compiled every time.
  { entryPoints: ['engine/cli/boot-cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The CLI's own code: ES modules split into chunks (dist/cli-*.mjs), so each verb's dynamic
  // import is a file read only when that verb runs (`spectrum ps` loads a few dozen KB, not the
  // whole engine). One CommonJS file would hold every verb, and each command would read,
  // hash and deserialize all of it. Node 22+ caches these chunks' compiled code too.
  { entryPoints: ['engine/cli/main.ts'], outdir: 'dist', format: 'esm', splitting: true, entryNames: 'cli-[name]', chunkNames: 'cli-[hash]', outExtension: { '.js': '.mjs' }, banner: { js: ESM_BANNER }, metafile: true },
  { entryPoints: ['engine/cli/boot-monitor.ts'], outfile: 'dist/monitor.js' },
  { entryPoints: ['engine/monitor/main.ts'], outfile: 'dist/monitor-main.js' },
  { entryPoints: ['engine/isolates/host-main.ts'], outfile: 'dist/isolate-host.js' },
];

/**
 * CLI chunks of earlier builds (named by content hash) that this build did not write. They go
 * once an hour old, not at once: a command started before the rebuild may still import its own.
 */
function pruneChunks(dir, results) {
  const keep = new Set(results.flatMap((r) => Object.keys(r.metafile?.outputs ?? {})).map((o) => path.basename(o)));
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    if (!/^cli-[A-Z0-9]+\.mjs(\.map)?$/.test(f) || keep.has(f) || keep.has(f.replace(/\.map$/, ''))) continue;
    const p = path.join(dir, f);
    if (Date.now() - statSync(p).mtimeMs > 3600_000) rmSync(p, { force: true });
  }
}

/** Builds every entry into `outdir` (the repository root by default, so into dist/). */
export async function build({ watch = false, production = false, outdir = root } = {}) {
  const common = esbuildOptions({ production });
  const contexts = await Promise.all(
    entries.map((e) => esbuild.context({ ...common, ...e, ...(e.outfile ? { outfile: path.resolve(outdir, e.outfile) } : { outdir: path.resolve(outdir, e.outdir) }) })),
  );
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  try {
    const results = await Promise.all(contexts.map((c) => c.rebuild()));
    pruneChunks(path.resolve(outdir, 'dist'), results);
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
  // The guest agent (C, the host's compiler), beside the bundles in dist/.
  buildAgent({ outdir });
}

// No top-level await: scripts/package.mjs imports this module, and the TypeScript e2e tests
// import that one through tsx, which loads it as CommonJS.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  build({ watch: process.argv.includes('--watch'), production: process.argv.includes('--production') }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
