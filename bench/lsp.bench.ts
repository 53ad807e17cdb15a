// Language server bench for config documents, driving the real bundled server (dist/server.js)
// over stdio as an editor does: hover and completion p50/p99, diagnostics time for a 500-line
// spec (didChange to publishDiagnostics), server RSS. The pure service runs the same requests
// in-process beside it, so the transport's share shows as a ratio.
// Targets: hover p99 <= 5 ms, completion p99 <= 10 ms, diagnostics <= 20 ms (median) for 500 lines.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { createLanguageService } from '../language-server/service/index';
import { reportTargets, type Verdict } from './report';

const ROOT = path.resolve(__dirname, '..');
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 400);
const DIAG_RUNS = Number(process.env.BENCH_DIAG_RUNS ?? 40);
const URI = 'file:///bench/big.sandbox.yaml';

function spec500(): string {
  const docs: string[] = [];
  let i = 0;
  while (docs.join('---\n').split('\n').length < 500) {
    const level = ['container', 'gvisor', 'microvm', 'vm', 'isolate'][i % 5];
    docs.push(
      level === 'isolate'
        ? `name: edge-${i} # an isolate\nisolation: isolate\nworker: ./edge.worker.js\ncompatibilityDate: 2025-01-01\nenv: { GREETING: hi, MODE: bench }\nresources: { memory: 64Mi }\nnetwork: outbound\ntimeout: 30s\n`
        : `name: box-${i}\nisolation: ${level}   # level\nimage: ${i % 7 === 0 ? 'alpine:3' : 'busybox'}\ncommand: [/bin/sh, -c, "uname -a"]\nenv:\n  GREETING: hi\n  PORT: "8080"\nmounts:\n  - source: ./data\n    target: /data\n    writable: ${i % 2 === 0}\nresources:\n  cpus: ${i % 3 === 0 ? 1.5 : 2}\n  memory: ${i % 4 === 0 ? '32Mi' : '256Mi'}\n  pids: 64\nnetwork: none\nreadonly: true\ntimeout: 2m\ngpu: ${i % 6 === 0 ? 'all' : 'none'}\n`,
    );
    i++;
  }
  return docs.join('---\n');
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f = (n: number) => n.toFixed(2).padStart(8);

async function main(): Promise<void> {
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('build failed');
  const text = spec500();
  const lines = text.split('\n');
  console.log(`spec: ${lines.length} lines, ${text.length} chars`);

  const child = spawn(process.execPath, [path.join(ROOT, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/workspaceFolders', () => null);
  let onDiag: ((p: PublishDiagnosticsParams) => void) | undefined;
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => onDiag?.(p));
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
  await conn.sendNotification('initialized', {});

  const waitDiag = (version: number) =>
    new Promise<number>((resolve) => {
      onDiag = (p) => {
        if (p.uri === URI && p.version === version) resolve(performance.now());
      };
    });

  // Diagnostics: each change is a full replacement, as a paste would be; timed to the publish.
  const lspDiag: number[] = [];
  let version = 1;
  let wait = waitDiag(version);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'sandbox', version, text } });
  await wait;
  for (let r = 0; r < DIAG_RUNS; r++) {
    version++;
    const changed = text.replace('name: box-1\n', `name: box-1-${r}\n`);
    wait = waitDiag(version);
    const t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges: [{ text: changed }] });
    lspDiag.push((await wait) - t0);
  }
  const finalText = text.replace('name: box-1\n', `name: box-1-${DIAG_RUNS - 1}\n`);

  // Positions: keys, enum values, nested keys; completion on values and empty key lines.
  const hoverAt: { line: number; character: number }[] = [];
  const completeAt: { line: number; character: number }[] = [];
  finalText.split('\n').forEach((l, line) => {
    const m = /^(\s*(?:-\s+)?)([A-Za-z]+):\s*(\S*)/.exec(l);
    if (!m) return;
    hoverAt.push({ line, character: m[1].length + 1 });
    if (m[3]) hoverAt.push({ line, character: l.indexOf(m[3], m[1].length + m[2].length) + 1 });
    if (/^(isolation|network|gpu|image|worker):/.test(l)) completeAt.push({ line, character: l.indexOf(':') + 2 });
    else if (/^\s+\w+:/.test(l)) completeAt.push({ line, character: m[1].length });
  });
  const pick = <T>(xs: T[], i: number) => xs[(i * 7919) % xs.length];

  const doc = TextDocument.create(URI, 'sandbox', version, finalText);
  const pure = createLanguageService();
  const pureDiag: number[] = [];
  for (let r = 0; r < DIAG_RUNS; r++) {
    const d = TextDocument.create(URI, 'sandbox', 1000 + r, finalText + `# ${r}\n`);
    const t0 = performance.now();
    await pure.diagnostics(d);
    pureDiag.push(performance.now() - t0);
  }

  const measure = async (fn: (i: number) => Promise<unknown>) => {
    const out: number[] = [];
    for (let i = 0; i < 30; i++) await fn(i); // warm-up
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now();
      await fn(i);
      out.push(performance.now() - t0);
    }
    return out;
  };
  const lspHover = await measure((i) => conn.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: pick(hoverAt, i) }));
  const pureHover = await measure((i) => pure.hover(doc, pick(hoverAt, i)));
  const lspCompletion = await measure((i) => conn.sendRequest('textDocument/completion', { textDocument: { uri: URI }, position: pick(completeAt, i) }));
  const pureCompletion = await measure((i) => pure.completion(doc, pick(completeAt, i)));

  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  child.kill();

  const rows: [string, number[], number[], number, 'p99' | 'p50'][] = [
    ['hover', lspHover, pureHover, 5, 'p99'],
    ['completion', lspCompletion, pureCompletion, 10, 'p99'],
    ['diagnostics (500 lines)', lspDiag, pureDiag, 20, 'p50'],
  ];
  console.log(`\n${'request'.padEnd(26)}${'lsp p50'.padStart(8)}${'lsp p99'.padStart(9)}${'pure p50'.padStart(9)}${'pure p99'.padStart(9)}  lsp/pure  target`);
  const verdicts: Verdict[] = [];
  for (const [name, lsp, inproc, target, on] of rows) {
    const judged = on === 'p99' ? pct(lsp, 99) : pct(lsp, 50);
    const ok = judged <= target;
    verdicts.push({ target: `${name} ${on} ${judged.toFixed(2)} ms <= ${target} ms`, ok });
    console.log(`${name.padEnd(26)}${f(pct(lsp, 50))} ${f(pct(lsp, 99))} ${f(pct(inproc, 50))} ${f(pct(inproc, 99))}  ${(pct(lsp, 50) / Math.max(0.001, pct(inproc, 50))).toFixed(1).padStart(7)}x  ${on} <= ${target} ms ${ok ? 'ok' : 'MISSED'}`);
  }
  console.log(`server RSS after the run: ${rss.toFixed(1)} MiB (times in ms; ${SAMPLES} hover/completion samples, ${DIAG_RUNS} diagnostics runs)`);
  reportTargets('lsp bench', verdicts);
}

main().then(
  // The server's stdio pipes could keep the process alive: leave with the verdict's code.
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
