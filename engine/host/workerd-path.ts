// Finds the workerd binary that ships in the `workerd` npm package's platform package. It is
// resolved at run time (never bundled): from node_modules beside the source, beside the bundle
// (dist/ in a packaged .vsix), or the package's own resolution.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function platformPackage(): string {
  const arch = process.arch === 'x64' ? '64' : process.arch;
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  return `@cloudflare/workerd-${os}-${arch}`;
}

export function findWorkerd(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.SPECTRUM_WORKERD && existsSync(env.SPECTRUM_WORKERD)) return env.SPECTRUM_WORKERD;
  const pkg = platformPackage();
  const bin = process.platform === 'win32' ? 'bin/workerd.exe' : 'bin/workerd';
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates: string[] = [];
  for (const base of [here, path.dirname(here), path.dirname(path.dirname(here))]) {
    candidates.push(path.join(base, 'node_modules', pkg, bin));
  }
  try {
    const req = createRequire(path.join(here, 'noop.js'));
    candidates.push(path.join(path.dirname(req.resolve(`${pkg}/package.json`)), bin));
  } catch {
    // Not resolvable from here; try through the `workerd` package.
    try {
      const req = createRequire(path.join(here, 'noop.js'));
      const workerdPkg = path.dirname(req.resolve('workerd/package.json'));
      candidates.push(path.join(workerdPkg, '..', pkg, bin), path.join(workerdPkg, 'node_modules', pkg, bin));
    } catch {
      // Neither package is installed.
    }
  }
  return candidates.find((c) => existsSync(c));
}
