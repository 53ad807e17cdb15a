// A small test runner for inside VS Code, in the @vscode/test-electron style (the entry module
// exports `run()`, which rejects when a test failed). Each result is also printed as one
// `[spectrum-test] {json}` line, which the code-server harness reads back to count tests one by one.
export const RESULT_PREFIX = '[spectrum-test] ';

export interface TestResult {
  suite: string;
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

interface Case {
  suite: string;
  name: string;
  fn: () => Promise<void> | void;
  timeoutMs: number;
}

const cases: Case[] = [];
let currentSuite = '';

export function suite(name: string, body: () => void): void {
  const outer = currentSuite;
  currentSuite = outer ? `${outer} > ${name}` : name;
  try {
    body();
  } finally {
    currentSuite = outer;
  }
}

export function test(name: string, fn: () => Promise<void> | void, timeoutMs = 30_000): void {
  cases.push({ suite: currentSuite, name, fn, timeoutMs });
}

function withTimeout(p: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function runAll(log: (line: string) => void = console.log): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const c of cases) {
    const started = Date.now();
    let error: string | undefined;
    try {
      await withTimeout(Promise.resolve().then(c.fn), c.timeoutMs, c.name);
    } catch (e) {
      error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    }
    const r: TestResult = { suite: c.suite, name: c.name, ok: error === undefined, ms: Date.now() - started, error };
    results.push(r);
    log(RESULT_PREFIX + JSON.stringify(r));
  }
  return results;
}
