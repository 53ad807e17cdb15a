// Preloaded into every test process by scripts/test.mjs (`--import`). node:test never runs the
// body of a skipped `describe`, so its tests would vanish from every count. Here such a body is
// run once in a dry mode where test()/describe() only record names and hooks do nothing; the
// suite is then registered with each recorded test marked skipped with the suite's reason, so
// the reporter counts and prints every one of them.
// Not dry-run, so skipped as a whole and counted once by the reporter (which says so): an async
// suite body (it could start servers before its first test() call) and a suite in an ES module.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import vm from 'node:vm';

const require = createRequire(import.meta.url);
const nodeTest = require('node:test');
const SWAPPED = ['test', 'it', 'describe', 'suite', 'skip', 'todo', 'only', 'before', 'after', 'beforeEach', 'afterEach'];
const orig = Object.fromEntries(SWAPPED.map((k) => [k, nodeTest[k]]));

/** node:test accepts (name, options, fn) with any of them left out. */
function normalize(args) {
  let [name, options, fn] = args;
  if (typeof name === 'function') [name, options, fn] = [name.name, {}, name];
  else if (typeof options === 'function') [options, fn] = [{}, options];
  return { name: name ?? '<anonymous>', options: options ?? {}, fn };
}

// node:test records where describe() was called from (the file a failure names) by looking one
// frame up. A wrapper would be that frame, so the original is called through a one-line function
// compiled at the caller's own file, line and column.
const trampolines = new Map();
function callerSite(skipAbove) {
  const holder = {};
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = (_e, sites) => sites;
  try {
    Error.captureStackTrace(holder, skipAbove);
    const site = holder.stack?.[0];
    return site?.getFileName() ? { file: site.getFileName(), line: site.getLineNumber() ?? 1, column: site.getColumnNumber() ?? 1 } : undefined;
  } finally {
    Error.prepareStackTrace = prepare;
  }
}
function callFrom(site, fn, args) {
  if (!site) return fn(...args);
  const key = `${site.file}:${site.line}:${site.column}`;
  let t = trampolines.get(key);
  if (!t) {
    // V8 places a call at its callee's first character: put `f` exactly at the caller's column.
    t = site.line >= 2
      ? vm.runInThisContext(`(f, a) =>\n${' '.repeat(Math.max(0, site.column - 1))}f(...a)`, { filename: site.file, lineOffset: site.line - 2 })
      : vm.runInThisContext('(f, a) => f(...a)', { filename: site.file, columnOffset: Math.max(0, site.column - 11) });
    trampolines.set(key, t);
  }
  return t(fn, args);
}

/** The collector of the dry run in progress (dry bodies are synchronous, so a plain stack works). */
let recording;

const recorder = (kind, forced = {}) => (...args) => {
  const a = normalize(args);
  const options = { ...a.options, ...forced };
  if (kind === 'test') recording.push({ kind, name: a.name, options });
  else recording.push({ kind, name: a.name, options, items: typeof a.fn === 'function' && !isAsync(a.fn) ? dryRun(a.fn) : [] });
  return Promise.resolve();
};
function recorders() {
  const test = Object.assign(recorder('test'), { skip: recorder('test', { skip: true }), todo: recorder('test', { todo: true }), only: recorder('test') });
  const describe = Object.assign(recorder('suite'), { skip: recorder('suite', { skip: true }), todo: recorder('suite', { todo: true }), only: recorder('suite') });
  const hook = () => undefined;
  return { test, it: test, describe, suite: describe, skip: test.skip, todo: test.todo, only: test, before: hook, after: hook, beforeEach: hook, afterEach: hook };
}

/** Runs a suite body with node:test's functions swapped for recorders, and returns what it declared. */
function dryRun(fn) {
  const outer = recording;
  const items = [];
  recording = items;
  if (!outer) {
    Object.assign(nodeTest, recorders());
    syncBuiltinESMExports();
  }
  try {
    fn({ name: '', signal: new AbortController().signal });
  } finally {
    recording = outer;
    if (!outer) {
      Object.assign(nodeTest, orig, { describe: wrapped.describe, suite: wrapped.suite });
      syncBuiltinESMExports();
    }
  }
  return items;
}

const isAsync = (fn) => typeof fn === 'function' && fn.constructor?.name === 'AsyncFunction';

function registerSkipped(site, items, reason) {
  for (const item of items) {
    const why = item.options.skip || reason;
    if (item.kind === 'test') callFrom(site, orig.test, [item.name, { skip: why }, () => undefined]);
    else callFrom(site, orig.describe, [item.name, () => registerSkipped(site, item.items, why)]);
  }
}

function makeDescribe(base, forced = {}) {
  const describe = (...args) => {
    const site = callerSite(describe);
    const a = normalize(args);
    const options = { ...a.options, ...forced };
    // Only CommonJS callers (every .ts test under tsx): node:test's ESM named imports can't be
    // swapped for recorders, so an ES module's tests would register for real during a dry run.
    const esm = !site || site.file.startsWith('file:');
    if (!options.skip || typeof a.fn !== 'function' || isAsync(a.fn) || esm) return callFrom(site, base, [a.name, options, a.fn]);
    let items;
    try {
      items = dryRun(a.fn);
    } catch {
      return callFrom(site, base, [a.name, options, a.fn]); // more than a dry run can handle: skipped as a whole
    }
    const { skip, ...rest } = options;
    return callFrom(site, base, [a.name, rest, () => registerSkipped(site, items, skip)]);
  };
  return describe;
}

function withVariants(base) {
  return Object.assign(makeDescribe(base), {
    skip: makeDescribe(base, { skip: true }),
    todo: makeDescribe(base, { todo: true }),
    only: makeDescribe(base, { only: true }),
  });
}

const wrapped = { describe: withVariants(orig.describe), suite: withVariants(orig.suite) };
Object.assign(nodeTest, wrapped);
syncBuiltinESMExports();
