// What the isolate host loads for one sandbox: the user's Worker module, wrapped so that its
// console output carries a per-isolate key (one workerd prints every isolate's console on the
// same stdout; the host monitor routes tagged lines to that sandbox's own log).
import type { SandboxSpec } from '../spec/types';

export const DEFAULT_COMPAT_DATE = '2025-01-01';
/** Starts every tagged console line; the key and the stream follow, then the JSON text. */
export const LOG_MARK = '\u001e';

export interface IsolateCode {
  compatibilityDate: string;
  mainModule: string;
  /** ES module sources by name. */
  modules: Record<string, string>;
  env: Record<string, string>;
  network: SandboxSpec['network'];
}

const MAIN = '__spectrum_main.js';
/** A named entrypoint of the wrapper: the host loads the isolate through it without running the user's handler. */
export const PING_ENTRYPOINT = '__spectrum_ping';
const CONSOLE = '__spectrum_console.js';

/** The user's module name as the loader sees it: no path, nothing a module specifier can't hold. */
export function userModuleName(workerPath: string): string {
  const base = workerPath.split('/').pop() ?? 'worker.js';
  // The Worker Loader takes module names ending in .js: an .mjs file is the same ES module.
  const safe = base.replace(/[^\w.-]/g, '_').replace(/\.mjs$/, '.js');
  return safe.startsWith('__spectrum_') ? `user_${safe}` : safe;
}

function consoleModule(logKey: string): string {
  // Bound before anything in the user's module runs, so their code can't reach the untagged one.
  return `const out = console.log.bind(console);
const KEY = ${JSON.stringify(logKey)};
const text = (args) => args.map((a) => {
  if (typeof a === 'string') return a;
  if (a instanceof Error) return a.stack || String(a);
  try { return JSON.stringify(a) ?? String(a); } catch { return String(a); }
}).join(' ');
for (const [level, stream] of [['log', 'out'], ['info', 'out'], ['debug', 'out'], ['warn', 'err'], ['error', 'err']]) {
  console[level] = (...args) => out(${JSON.stringify(LOG_MARK)} + KEY + ' ' + stream + ' ' + JSON.stringify(text(args)));
}
`;
}

export function isolateCode(spec: SandboxSpec, source: string, logKey: string): IsolateCode {
  const user = userModuleName(spec.worker ?? 'worker.js');
  const spec_ = JSON.stringify(`./${user}`);
  return {
    compatibilityDate: spec.compatibilityDate ?? DEFAULT_COMPAT_DATE,
    mainModule: MAIN,
    modules: {
      // Imports evaluate in order: the console is tagged before the user's module runs.
      [MAIN]: `import './${CONSOLE}';\nexport * from ${spec_};\nexport { default } from ${spec_};\nexport const ${PING_ENTRYPOINT} = { fetch: () => new Response('ok') };\n`,
      [CONSOLE]: consoleModule(logKey),
      [user]: source,
    },
    env: { ...spec.env },
    network: spec.network,
  };
}

/** Whether a worker can run in the warm host (the loader takes ES modules; Wasm-only workers run cold). */
export function warmableWorker(workerPath: string | undefined): boolean {
  return Boolean(workerPath && /\.m?js$/.test(workerPath));
}
