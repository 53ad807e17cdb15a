// Bundles the three entry points with esbuild. `vscode` stays external: the extension host provides it.
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
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

const entries = [
  { entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['language-server/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['engine/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['engine/monitor/main.ts'], outfile: 'dist/monitor.js' },
];

export async function build() {
  const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build();
}
