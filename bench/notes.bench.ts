// Notes bench on a generated workspace of 2,000 linked notes on disk, measured twice side by side:
// in the real language server (bundled server.ts over stdio LSP, round trips, the server's RSS),
// which is what the targets judge, and in-process (the pure service, no transport) for reference.
// Prints initial index, hover and `[[` completion percentiles, rename, RSS. Exits 1 on a missed target.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import MarkdownIt from 'markdown-it';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionList, WorkspaceEdit } from 'vscode-languageserver-types';
import { loadBuiltinNotes } from '../language-server/notes/builtinNotes';
import { NOTES_MARKDOWN_OPTIONS, createNotesParser } from '../language-server/notes/markdown';
import { createNotesService } from '../language-server/notes/service';
import { DEFAULT_NOTES_SETTINGS } from '../language-server/notes/settings';
import { scanNotes } from '../language-server/notes/workspaceScan';
import { PUSH_DEBOUNCE_MS, runServerBench, serverBaselineRss } from './notesServerRun';
import { reportTargets, type Verdict } from './report';

const NOTES = 2000;
const TERMS = ['gVisor', 'PCI passthrough', 'KVM', 'the Sentry', 'microVMs', 'virtio', 'runc', 'cgroups', 'Firecracker', 'seccomp filters'];

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function noteText(i: number, rand: () => number): string {
  const link = () => `[[Topic ${Math.floor(rand() * NOTES)}]]`;
  const lines = [`# Topic ${i}`];
  if (i % 5 === 0) lines.push(`Aliases: alias ${i}, other name ${i}`);
  for (let b = 0; b < 6; b++) {
    lines.push(`- Point ${b} about ${TERMS[(i + b) % TERMS.length]}: see ${link()} and ${link()}, also [[Hub Concept]].`);
  }
  lines.push('', `## Details ${i}`, `- More on ${TERMS[i % TERMS.length]} and [[Topic ${(i + 1) % NOTES}#Details ${(i + 1) % NOTES}]].`);
  if (i % 50 === 0) lines.push('', '```sh sandbox=gvisor', 'uname -a', '```');
  return lines.join('\n') + '\n';
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function main(): Promise<void> {
const dir = await mkdtemp(path.join(os.tmpdir(), 'notes-bench-'));
try {
  const rand = rng(42);
  await writeFile(path.join(dir, 'hub.md'), '# Hub Concept\n- Everything links here.\n');
  for (let i = 0; i < NOTES - 1; i++) await writeFile(path.join(dir, `topic-${i}.md`), noteText(i, rand));
  const folder = pathToFileURL(dir).href;
  global.gc?.();

  // Initial index: scan the folder, read and parse every note, build the cross-file tables.
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const service = createNotesService({ parser: createNotesParser(new MarkdownIt(NOTES_MARKDOWN_OPTIONS)), builtins: loadBuiltinNotes(), folders: [folder] });
  const uris = await scanNotes([folder], DEFAULT_NOTES_SETTINGS);
  const texts = await Promise.all(uris.map((u) => readFile(new URL(u), 'utf8')));
  uris.forEach((u, k) => service.setFile(u, texts[k]));
  service.index.resolve('Hub Concept');
  const indexMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const indexCpuMs = (cpu.user + cpu.system) / 1000;

  const docs = uris.slice(0, 200).map((u, k) => TextDocument.create(u, 'markdown', 1, texts[k]));
  const ds = service.documentService;
  for (const d of docs) await ds.diagnostics!(d); // settle versions, as the server does on open

  // Hover: on concept terms and on wiki links in open notes (after the same 50 warm-up hovers).
  for (let k = 0; k < 50; k++) service.conceptSource.conceptHover(docs[k % docs.length], { line: 1, character: 20 });
  const hoverMs: number[] = [];
  let hits = 0;
  for (let k = 0; k < 2000; k++) {
    const d = docs[k % docs.length];
    const line = 1 + (k % 6) + (d.getText().includes('Aliases') ? 1 : 0);
    const text = d.getText({ start: { line, character: 0 }, end: { line, character: 400 } });
    const at = k % 2 ? text.indexOf('[[') + 4 : text.indexOf('about ') + 8;
    const t = performance.now();
    const h = service.conceptSource.conceptHover(d, { line, character: at });
    hoverMs.push(performance.now() - t);
    if (h) hits++;
  }

  // Completion inside `[[` (a bare `[[Top` typed at the end of a line).
  const complMs: number[] = [];
  let items = 0;
  for (let k = 0; k < 500; k++) {
    const base = docs[k % docs.length];
    const d = TextDocument.create(base.uri, 'markdown', 2 + k, `${base.getText()}- new [[Top`);
    if (k === 0) await ds.diagnostics!(d);
    const d2 = TextDocument.create(base.uri, 'markdown', 2 + k, d.getText());
    service.sync(d2);
    const t = performance.now();
    const list = (await ds.completion!(d2, { line: d2.lineCount - 1, character: 11 })) as CompletionList;
    complMs.push(performance.now() - t);
    items = list.items.length;
  }
  for (const d of docs) service.setFile(d.uri, d.getText());

  // Rename the hub concept, linked from every note.
  const hub = TextDocument.create(`${folder}/hub.md`, 'markdown', 1, '# Hub Concept\n- Everything links here.\n');
  const renameMs: number[] = [];
  let edits = 0;
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    const edit = (await ds.rename!(hub, { line: 0, character: 4 }, `Hub Renamed ${k}`)) as WorkspaceEdit;
    renameMs.push(performance.now() - t);
    edits = Object.values(edit.changes ?? {}).reduce((n, e) => n + e.length, 0);
  }

  global.gc?.();
  const inRss = process.memoryUsage().rss / 1024 / 1024;
  const server = await runServerBench(path.resolve(__dirname, '..'), dir, folder, uris, texts);
  const emptyDir = path.join(dir, 'empty-workspace');
  await mkdir(emptyDir);
  await writeFile(path.join(emptyDir, 'only.md'), '# Only\n- one note\n');
  const baseRss = await serverBaselineRss(path.resolve(__dirname, '..'), dir, pathToFileURL(emptyDir).href);
  console.log(`workspace: ${uris.length} notes`);
  console.log(`server: ${server.hoverHits}/2000 hovers hit, ${server.complItems} completion items, ${server.renameEdits} rename edits`);
  console.log(`in-process: ${hits}/2000 hovers hit, ${items} completion items, ${edits} rename edits`);
  // A row without a target is shown for reference: it is judged nowhere.
  const rows: Array<[string, number, number, number | undefined, string]> = [
    ['initial index (scan+read+parse, 2,000 notes)', server.indexMs, indexMs, 1500, 'ms'],
    ['  the same, CPU time only (user+system)', server.indexCpuMs, indexCpuMs, undefined, 'ms'],
    ['hover p50', pct(server.hoverMs, 50), pct(hoverMs, 50), undefined, 'ms'],
    ['hover p99', pct(server.hoverMs, 99), pct(hoverMs, 99), 5, 'ms'],
    ['[[ completion p50', pct(server.complMs, 50), pct(complMs, 50), undefined, 'ms'],
    ['[[ completion p99', pct(server.complMs, 99), pct(complMs, 99), 10, 'ms'],
    ['rename across workspace (median of 5)', pct(server.renameMs, 50), pct(renameMs, 50), 500, 'ms'],
    ['RSS (server process | bench process incl. tsx)', server.rssMb, inRss, 150, 'MB'],
  ];
  console.log(`${'measure'.padEnd(48)} ${'server'.padStart(10)} ${'in-process'.padStart(11)} ${'target'.padStart(8)} ${'ratio'.padStart(6)}  ok`);
  const verdicts: Verdict[] = [];
  for (const [name, v, inProc, target, unit] of rows) {
    const ok = target === undefined ? undefined : v <= target;
    if (target !== undefined) verdicts.push({ target: `${name.trim()} ${v.toFixed(2)} ${unit} <= ${target} ${unit}`, ok: ok! });
    console.log(
      `${name.padEnd(48)} ${(v.toFixed(2) + ' ' + unit).padStart(10)} ${(inProc.toFixed(2) + ' ' + unit).padStart(11)} ${(target === undefined ? '-' : `${target} ${unit}`).padStart(8)} ${(target === undefined ? '-' : (v / target).toFixed(2)).padStart(6)}  ${ok === undefined ? '-' : ok ? 'yes' : 'NO'}`,
    );
  }
  console.log(`server RSS with a one-note workspace: ${baseRss.toFixed(1)} MB, so the 2,000-note index adds ${(server.rssMb - baseRss).toFixed(1)} MB`);
  console.log(`server index time is from the first didOpen to the full concept push, minus the ${PUSH_DEBOUNCE_MS} ms push debounce;`);
  console.log('hovers are timed after 200 notes are open and validated and 50 warm-up hovers; each completion follows a didChange');
  reportTargets('notes bench', verdicts);
} finally {
  await rm(dir, { recursive: true, force: true });
}
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
