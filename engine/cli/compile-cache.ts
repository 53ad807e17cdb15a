// Runs a bundle with V8's code cache, so each short-lived process (every CLI command, every
// monitor) does not compile the same megabyte of JavaScript again. Node 22.1+ has this built in
// (module.enableCompileCache); on older Node the cache is kept here through vm.Script's
// cachedData. Cached code runs as this user's code, so it is only read from a private folder of
// ours, from a file of ours that nobody else can write, named by a hash of the exact source, the
// Node version and the architecture (V8 itself checks little more than the source's length).
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

/** A code cache is a few MB at most; anything larger is not one we wrote. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

type NodeModule = typeof Module & {
  enableCompileCache?: (dir: string) => unknown;
  wrap(source: string): string;
  _nodeModulePaths(dir: string): string[];
};

/** `dir` (created 0700 when missing) when it is a private directory of ours, else undefined. */
export function privateDir(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
    return st.isDirectory() && st.uid === uid && (st.mode & 0o077) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The cache file's bytes when it is a regular file of ours that others cannot write. */
export function trustedBytes(file: string): Buffer | undefined {
  try {
    const st = lstatSync(file);
    const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
    if (!st.isFile() || st.uid !== uid || st.mode & 0o022 || st.size > MAX_CACHE_BYTES) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'isolation-spectrum', 'compile');
}

function writePrivate(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // never written
    }
  }
}

/**
 * Turns on Node's own compile cache (22.1+, CommonJS and ES modules alike) in our private folder.
 * Returns the folder when Node lacks it and the cache is ours to keep, else undefined.
 */
function nodeCompileCache(env: NodeJS.ProcessEnv): string | undefined {
  const M = Module as NodeModule;
  const dir = env.NODE_DISABLE_COMPILE_CACHE ? undefined : privateDir(compileCacheDir(env));
  if (!dir || typeof M.enableCompileCache !== 'function') return dir;
  M.enableCompileCache(dir);
  return undefined;
}

/**
 * Loads an ES module entry (the CLI's chunks) after turning on Node's compile cache where there
 * is one. Older Node has no code cache for ES modules; small chunks cost less than the one
 * CommonJS bundle through a cache did.
 */
export function runModule(file: string, env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  nodeCompileCache(env);
  return import(pathToFileURL(file).href);
}

/** Runs `file` (a CommonJS bundle) as this process's main code, through the code cache. */
export function runBundle(file: string, env: NodeJS.ProcessEnv = process.env): void {
  const M = Module as NodeModule;
  const load = createRequire(file);
  const dir = nodeCompileCache(env);
  if (!dir) {
    load(file);
    return;
  }
  const source = readFileSync(file, 'utf8');
  const key = createHash('sha256').update(source).update(`\0${process.version}\0${process.arch}`).digest('hex').slice(0, 32);
  const cacheFile = path.join(dir, `${path.basename(file)}.${key}.v8`);
  const cachedData = trustedBytes(cacheFile);
  // Module.wrap keeps the source on its first line, so stack traces keep their line numbers.
  const script = new vm.Script(M.wrap(source), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // Written at exit: by then the functions this command ran are compiled too, and go in.
    process.once('exit', () => {
      try {
        writePrivate(cacheFile, script.createCachedData());
      } catch {
        // Only the next process's head start is lost.
      }
    });
  }
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = M._nodeModulePaths(path.dirname(file));
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(mod.exports, mod.exports, load, mod, file, path.dirname(file));
}
