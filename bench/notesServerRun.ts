// Drives the real language server (bundled from language-server/server.ts, run with node --stdio)
// over LSP for the notes bench: the same requests VS Code sends, timed as round trips.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { StreamMessageReader, StreamMessageWriter, createProtocolConnection } from 'vscode-languageserver-protocol/node';
import type { CompletionList, WorkspaceEdit } from 'vscode-languageserver-types';
import { PUSH_DELAY_MS } from '../language-server/notes/register';

export interface ServerFigures {
  indexMs: number;
  /** CPU time the server process spent while indexing (user + system), immune to a busy machine. */
  indexCpuMs: number;
  hoverMs: number[];
  hoverHits: number;
  complMs: number[];
  complItems: number;
  renameMs: number[];
  renameEdits: number;
  rssMb: number;
}

/** The server's concept-index push debounce, subtracted from the measured index time. */
export const PUSH_DEBOUNCE_MS = PUSH_DELAY_MS;
const WARMUP = 50;

function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** RSS of the server with one small note open and no other notes: what the notes index adds is the rest. */
export async function serverBaselineRss(root: string, workDir: string, emptyFolderUri: string): Promise<number> {
  const f = await runServerBench(root, workDir, emptyFolderUri, [`${emptyFolderUri}/only.md`], ['# Only\n- one note\n'], true);
  return f.rssMb;
}

export async function runServerBench(root: string, workDir: string, folderUri: string, uris: string[], texts: string[], baselineOnly = false): Promise<ServerFigures> {
  const outDir = path.join(workDir, 'server');
  if (!existsSync(path.join(outDir, 'dist', 'server.js'))) await esbuild.build({
    entryPoints: [path.join(root, 'language-server/server.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'], // jsonc-parser's UMD build hides its requires from esbuild
    outfile: path.join(outDir, 'dist', 'server.js'),
    logLevel: 'error',
  });
  if (!existsSync(path.join(outDir, 'notes'))) symlinkSync(path.join(root, 'notes'), path.join(outDir, 'notes')); // built-in notes, as in the .vsix
  // NOTES_BENCH_PROF=<dir> writes a CPU profile of the server, to see where its time goes.
  const prof = process.env.NOTES_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', process.env.NOTES_BENCH_PROF] : [];
  const child: ChildProcess = spawn(process.execPath, [...prof, path.join(outDir, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
  conn.onRequest('workspace/workspaceFolders', () => [{ uri: folderUri, name: 'bench' }]);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/codeLens/refresh', () => null);
  let fullPush: (() => void) | undefined;
  const known = new Set<string>();
  conn.onNotification('isolationSpectrum/conceptIndex', (p: { full: boolean; notes: Array<{ uri: string; concepts: unknown[] }> }) => {
    if (p.full) known.clear();
    for (const n of p.notes) {
      if (n.concepts.length) known.add(n.uri);
      else known.delete(n.uri);
    }
    if (known.size >= uris.length) fullPush?.();
  });
  const published = new Set<string>();
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string }) => void published.add(p.uri));
  conn.onNotification('window/logMessage', () => undefined);
  conn.listen();
  try {
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folderUri,
      workspaceFolders: [{ uri: folderUri, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { completion: { completionList: { itemDefaults: ['editRange'] } } },
      },
    });
    await conn.sendNotification('initialized', {});

    // Initial index: from the first opened note to the push of the full concept index.
    const pushed = new Promise<void>((resolve) => (fullPush = resolve));
    await new Promise((r) => setTimeout(r, 200)); // let start-up settle before sampling CPU time
    const cpu0 = cpuMsOf(child.pid!);
    const t0 = performance.now();
    const open = (k: number, version = 1, text = texts[k]): Promise<void> =>
      conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uris[k], languageId: 'markdown', version, text } });
    await open(0);
    await pushed;
    const indexMs = performance.now() - t0 - PUSH_DEBOUNCE_MS;
    const indexCpuMs = cpuMsOf(child.pid!) - cpu0;
    if (baselineOnly) {
      const rssMb = rssOf(child.pid!);
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      return { indexMs, indexCpuMs, hoverMs: [], hoverHits: 0, complMs: [], complItems: 0, renameMs: [], renameEdits: 0, rssMb };
    }
    const picks = uris.map((_u, k) => k).filter((k) => !uris[k].endsWith('/hub.md')).slice(0, 200);
    for (const k of picks) if (k !== 0) await open(k);
    // Steady state: every opened note validated once, then a few warm-up hovers not counted.
    const deadline = Date.now() + 30_000;
    while (picks.some((k) => !published.has(uris[k])) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (let k = 0; k < WARMUP; k++) await conn.sendRequest('textDocument/hover', { textDocument: { uri: uris[picks[k % picks.length]] }, position: { line: 1, character: 20 } });

    const hoverMs: number[] = [];
    let hoverHits = 0;
    for (let k = 0; k < 2000; k++) {
      const d = picks[k % picks.length];
      const lines = texts[d].split('\n');
      const line = 1 + (k % 6) + (lines[1].startsWith('Aliases') ? 1 : 0);
      const at = k % 2 ? lines[line].indexOf('[[') + 4 : lines[line].indexOf('about ') + 8;
      const t = performance.now();
      const h = await conn.sendRequest('textDocument/hover', { textDocument: { uri: uris[d] }, position: { line, character: at } });
      hoverMs.push(performance.now() - t);
      if (h) hoverHits++;
    }

    const complMs: number[] = [];
    let complItems = 0;
    for (let k = 0; k < 500; k++) {
      const d = picks[k % picks.length];
      const text = `${texts[d]}- new [[Top`;
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri: uris[d], version: 2 + k },
        contentChanges: [{ text }],
      });
      const line = text.split('\n').length - 1;
      const t = performance.now();
      const list = (await conn.sendRequest('textDocument/completion', { textDocument: { uri: uris[d] }, position: { line, character: 11 } })) as CompletionList;
      complMs.push(performance.now() - t);
      complItems = list?.items.length ?? 0;
    }

    const hub = uris.findIndex((u) => u.endsWith('/hub.md'));
    if (hub !== 0) await open(hub);
    const renameMs: number[] = [];
    let renameEdits = 0;
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      const edit = (await conn.sendRequest('textDocument/rename', { textDocument: { uri: uris[hub] }, position: { line: 0, character: 4 }, newName: `Hub Renamed ${k}` })) as WorkspaceEdit;
      renameMs.push(performance.now() - t);
      renameEdits = Object.values(edit?.changes ?? {}).reduce((n, e) => n + e.length, 0);
    }
    const rssMb = rssOf(child.pid!);
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    return { indexMs, indexCpuMs, hoverMs, hoverHits, complMs, complItems, renameMs, renameEdits, rssMb };
  } finally {
    conn.dispose();
    // Give the server a moment to exit on its own (and write a profile), then make sure.
    const exited = new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (child.exitCode === null) child.kill();
    await exited;
  }
}
