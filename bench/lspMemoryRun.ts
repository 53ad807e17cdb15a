// The language server's memory curve: drives the real bundled server (dist/server.js) over stdio
// through many edit/hover/completion cycles on sandbox specs and knowledge notes, as an editor
// session would, opening and closing a fresh document every few cycles (a per-document cache
// that is never dropped shows up as growth). Samples the server's RSS, and its heap in use right
// after a forced full GC, at intervals. Shared by
// bench/lsp-memory.bench.ts (long) and the integration tier (short).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

export interface MemoryCurve {
  cycles: number;
  /** RSS in MiB after each `every` cycles (the first `warmup` cycles are not sampled). */
  rssMiB: number[];
  /** The server's V8 heap in use right after a full GC, at the same moments: garbage can't hide a leak here. */
  heapMiB: number[];
  /** Median RSS of the first and the last quarter of the samples, and their difference. */
  early: number;
  late: number;
  growth: number;
  /** The same for the heap after GC. */
  heapGrowth: number;
  seconds: number;
}

// Preloaded into the server: on SIGUSR2, a full GC, then the heap in use written to a file. The
// server's stdout is the LSP channel, so the figure travels through the file.
const GC_PROBE = `process.on('SIGUSR2', () => {
  global.gc();
  require('fs').writeFileSync(process.env.SPECTRUM_HEAP_FILE, String(process.memoryUsage().heapUsed));
});
`;

async function heapAfterGc(pid: number, file: string): Promise<number> {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 500 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
  for (let i = 0; i < 50; i++) {
    const n = Number(readFileSync(file, 'utf8'));
    if (n > 0) return n / 1048576;
    await new Promise((r) => setTimeout(r, 10));
  }
  return NaN;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const spec = (i: number) => `name: box-${i}
isolation: ${['container', 'gvisor', 'microvm', 'vm', 'isolate'][i % 5]}
image: busybox
command: [/bin/sh, -c, "echo ${i}"]
env: { N: "${i}" }
resources: { cpus: 1, memory: ${64 + (i % 8) * 16}Mi, pids: 64 }
network: none
---
name: edge-${i}
isolation: isolate
worker: ./edge.worker.js
`;

// Heading names repeat every 50 edits: the server remembers concept keys of names it has seen
// (language-server/notes/conceptKey.ts, bounded at 50,000), so a new name every edit would show as
// ~200 bytes a cycle of growth until that bound. The text still changes on every edit.
const note = (i: number) => `# Notes ${i % 50}
## Sandbox ${i % 50}
- A sandbox on the [[Isolation Spectrum]] runs under [[gVisor]] or [[Firecracker]] (edit ${i}).
- See [[Sandbox ${(i + 1) % 50}]] and [[Containers#cgroups]].
`;

/**
 * Runs `cycles` cycles against the server in `root`/dist; samples RSS every `every` cycles once
 * `warmup` cycles are done.
 */
export async function lspMemoryCurve(root: string, opts: { cycles: number; warmup: number; every: number; onSample?: (cycle: number, rssMiB: number, heapMiB: number) => void }): Promise<MemoryCurve> {
  const started = Date.now();
  const ws = mkdtempSync(path.join(os.tmpdir(), 'spectrum-lspmem-'));
  const probe = path.join(ws, 'gc-probe.cjs');
  const heapFile = path.join(ws, 'heap.txt');
  writeFileSync(probe, GC_PROBE);
  const child = spawn(process.execPath, ['--expose-gc', '--require', probe, path.join(root, 'dist', 'server.js'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, SPECTRUM_HEAP_FILE: heapFile },
  });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  try {
    mkdirSync(path.join(ws, 'notes'));
    for (let k = 0; k < 50; k++) writeFileSync(path.join(ws, 'notes', `n${k}.md`), note(k));
    const folder = pathToFileURL(ws).toString();
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    conn.onRequest('workspace/workspaceFolders', () => [{ uri: folder, name: 'mem' }]);
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('workspace/codeLens/refresh', () => null);
    conn.onNotification('textDocument/publishDiagnostics', () => undefined);
    conn.onNotification('isolationSpectrum/conceptIndex', () => undefined);
    conn.onNotification('window/logMessage', () => undefined);
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: [{ uri: folder, name: 'mem' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true } },
    });
    await conn.sendNotification('initialized', {});

    const specUri = `${folder}/main.sandbox.yaml`;
    const noteUri = `${folder}/notes/n0.md`;
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: specUri, languageId: 'sandbox', version: 1, text: spec(0) } });
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: noteUri, languageId: 'markdown', version: 1, text: note(0) } });
    const rss: number[] = [];
    const heap: number[] = [];
    for (let i = 1; i <= opts.cycles; i++) {
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri: specUri, version: i + 1 }, contentChanges: [{ text: spec(i) }] });
      await conn.sendRequest('textDocument/hover', { textDocument: { uri: specUri }, position: { line: 1, character: 2 } });
      await conn.sendRequest('textDocument/completion', { textDocument: { uri: specUri }, position: { line: 1, character: 11 } });
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri: noteUri, version: i + 1 }, contentChanges: [{ text: note(i) }] });
      await conn.sendRequest('textDocument/hover', { textDocument: { uri: noteUri }, position: { line: 2, character: 30 } });
      await conn.sendRequest('textDocument/completion', { textDocument: { uri: noteUri }, position: { line: 3, character: 9 } });
      if (i % 10 === 0) {
        // A document seen once and closed: whatever the server keeps for it must go with it.
        const uri = `${folder}/gen-${i}.sandbox.yaml`;
        await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sandbox', version: 1, text: spec(i) } });
        await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
        await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      }
      if (i > opts.warmup && i % opts.every === 0) {
        rss.push(rssMiB(child.pid!));
        heap.push(await heapAfterGc(child.pid!, heapFile));
        opts.onSample?.(i, rss[rss.length - 1], heap[heap.length - 1]);
      }
    }
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    const q = Math.max(1, Math.floor(rss.length / 4));
    const early = median(rss.slice(0, q));
    const late = median(rss.slice(-q));
    const heapGrowth = median(heap.slice(-q)) - median(heap.slice(0, q));
    return { cycles: opts.cycles, rssMiB: rss, heapMiB: heap, early, late, growth: late - early, heapGrowth, seconds: (Date.now() - started) / 1000 };
  } finally {
    conn.dispose();
    child.kill('SIGKILL');
    rmSync(ws, { recursive: true, force: true });
  }
}
