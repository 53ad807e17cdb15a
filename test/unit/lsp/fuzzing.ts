// The fuzz harness: random and mutated documents of one kind through every feature of the pure
// service. Any exception fails, and every edit the service offers must apply cleanly. One test
// file per kind runs it, so the kinds run in parallel.
import assert from 'node:assert/strict';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import { createLanguageService } from '../../../language-server/service/index';
import { apply, doc, memoryFs } from './helpers';
import { rng } from '../../helpers/rng';
import { fuzzDocs } from '../../helpers/fuzz-docs';

export const PER_KIND = fuzzDocs();
const ALPHABET = [':', '-', ' ', '  ', '\n', '\r\n', '\t', '{', '}', '[', ']', '"', "'", '#', ',', '&a', '*a', '!!str', '|', '>', '%', '@', '?', '---', '...', 'é', '𝄞', '\u0000', '\\', 'null', 'true', '0', '-1', '1e309', '0x1f', '~', '<<: *a'];
const WORDS = ['name', 'isolation', 'image', 'command', 'gpu', 'microvm', 'vm', 'isolate', 'container', 'gvisor', 'worker', 'resources', 'memory', 'cpus', 'mounts', 'source', 'target', 'kernel', 'devices', 'alpine:3', 'busybox', '128Mi', '1Ki', '30s',
  '"boot-source"', '"machine-config"', '"drives"', '"vcpu_count"', '"smt"', '"ht_enabled"', '"huge_pages"', '"2M"', '"vsock"', '"guest_cid"', '"ociVersion"', '"root"', '"path"', '"linux"', '"namespaces"', '"type"', '"capabilities"', '"CAP_SYS_ADMIN"', '"rlimits"'];


function mutate(text: string, r: () => number): string {
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  let t = text;
  const n = 1 + Math.floor(r() * 6);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(r() * (t.length + 1));
    switch (Math.floor(r() * 9)) {
      case 0: t = t.slice(0, i) + pick(ALPHABET) + t.slice(i); break;
      case 1: t = t.slice(0, i) + t.slice(i + 1 + Math.floor(r() * 8)); break;
      case 2: t = t.slice(0, i) + pick(WORDS) + t.slice(i); break;
      case 3: { const lines = t.split('\n'); const a = Math.floor(r() * lines.length); lines.splice(a, 0, lines[Math.floor(r() * lines.length)]); t = lines.join('\n'); break; }
      case 4: { const lines = t.split('\n'); lines.splice(Math.floor(r() * lines.length), 1); t = lines.join('\n'); break; }
      case 5: t = t.slice(0, i); break;
      case 6: { const j = Math.floor(r() * t.length); t = t.slice(0, Math.min(i, j)) + t.slice(Math.max(i, j)).slice(0, 40) + t.slice(Math.min(i, j)); break; }
      case 7: t = t.slice(0, i) + pick(WORDS) + pick([': ', ':', '": ', ' - ']) + pick(WORDS) + t.slice(i); break;
      default: t = t.slice(0, i) + String.fromCharCode(Math.floor(r() * 0x3000)) + t.slice(i);
    }
  }
  return t;
}

function randomText(r: () => number): string {
  const parts: string[] = [];
  const n = Math.floor(r() * 40);
  for (let i = 0; i < n; i++) parts.push(r() < 0.5 ? ALPHABET[Math.floor(r() * ALPHABET.length)] : WORDS[Math.floor(r() * WORDS.length)]);
  return parts.join(r() < 0.5 ? '' : ' ');
}

function randomPos(d: TextDocument, r: () => number) {
  const line = Math.floor(r() * (d.lineCount + 2)) - (r() < 0.05 ? 1 : 0);
  const character = Math.floor(r() * 60) - (r() < 0.05 ? 1 : 0);
  return { line: Math.max(0, line), character: Math.max(0, character) };
}

function checkEdits(text: string, edits: TextEdit[] | undefined, what: string): void {
  if (!edits?.length) return;
  try {
    apply(text, edits);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

const service = createLanguageService({ fs: memoryFs(['data/', 'edge.worker.js', 'vmlinux', 'rootfs/', 'rootfs.ext4']) });

async function exercise(d: TextDocument, r: () => number): Promise<void> {
  const text = d.getText();
  const diags = await service.diagnostics(d);
  for (let k = 0; k < 2; k++) {
    const p = randomPos(d, r);
    await service.hover(d, p);
    const c = await service.completion(d, p);
    for (const i of c?.items ?? []) if (i.textEdit && 'range' in i.textEdit) checkEdits(text, [i.textEdit], `completion ${i.label}`);
    await service.definition(d, p);
  }
  const ranges: Range[] = [{ start: randomPos(d, r), end: randomPos(d, r) }, ...diags.slice(0, 5).map((x) => x.range)];
  for (const range of ranges) {
    const ordered = range.start.line > range.end.line ? { start: range.end, end: range.start } : range;
    for (const a of await service.codeActions(d, ordered, { diagnostics: [] })) checkEdits(text, a.edit?.changes?.[d.uri], `code action "${a.title}"`);
  }
  await service.codeLenses(d);
  await service.documentLinks(d);
  service.documentSymbols(d);
  checkEdits(text, service.format(d, { tabSize: 2, insertSpaces: true }), 'format');
}

/** Runs PER_KIND documents (mutated seeds, every tenth fully random) and returns how many ran. */
export async function fuzzKind(kind: string, name: string, seeds: string[]): Promise<number> {
  const r = rng(0x5eed + kind.length);
  let count = 0;
  for (let i = 0; i < PER_KIND; i++) {
    const text = i % 10 === 9 ? randomText(r) : mutate(seeds[i % seeds.length], r);
    const d = doc(name, text, undefined, i + 1);
    try {
      await exercise(d, r);
    } catch (e) {
      assert.fail(`${kind} document #${i} threw: ${(e as Error).stack}\n--- document ---\n${JSON.stringify(text)}`);
    }
    count++;
  }
  return count;
}
