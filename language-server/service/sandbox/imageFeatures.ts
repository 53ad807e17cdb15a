// `image:` in a sandbox spec against the local image store: completion of what is stored, a hover
// with the stored image's digest, size, entrypoint, platform and dates (or the normalised name it
// would be pulled as), and an information diagnostic with a "Pull" quick fix when a store image
// (reference, oci-layout:, docker-archive:) is not in the store yet. busybox and directories are
// used in place and get none of this; a missing layout or archive is already an error (spec/files).
import type { CodeAction, CompletionItem, Diagnostic, Range } from 'vscode-languageserver-types';
import path from 'node:path';
import { familiarReference, formatReference, parseReference } from '../../../engine/images/reference';
import { classifyImage, isStoreImage, resolveImageValue, splitLayoutSpec, type ImageSource } from '../../../engine/images/source';
import type { ImageRecord } from '../../../engine/images/store';
import { isIsolation, roleOf } from '../../../engine/spec/levels';
import { resolveSpecPath } from '../../../engine/spec/model';
import { prop, type PathSegment, type TreeNode } from '../../../engine/spec/tree';
import type { Position } from '../../../engine/spec/types';
import type { ConfigDocument } from '../configDocument';
import { SOURCE } from '../convert';
import { kindWanted, overlaps } from '../providers/codeActions';
import type { ImageCatalog } from './imageCatalog';

/** The command the extension registers to pull an image (arguments: `[image]`). */
export const PULL_IMAGE_COMMAND = 'isolationSpectrum.pullImage';
export const IMAGE_NOT_PULLED = 'image-not-pulled';

const INFORMATION = 3;
const KIND_MODULE = 9;

interface ImageValue {
  node: TreeNode;
  value: string;
  source: ImageSource;
  /** The store's name for it (absolute paths for layouts and archives); undefined when not a store image or unresolvable. */
  name?: string;
}

/** Each document's `image:` value, when the level uses one. */
function imageValues(cd: ConfigDocument, baseDir: string | undefined): ImageValue[] {
  const out: ImageValue[] = [];
  for (const r of cd.roots) {
    const level = prop(r.root, 'isolation')?.value.value;
    if (isIsolation(level) && roleOf('image', level) === 'drops') continue;
    const node = prop(r.root, 'image')?.value;
    if (node?.kind !== 'string' || typeof node.value !== 'string' || !node.value) continue;
    const value = node.value;
    const source = classifyImage(value);
    out.push({ node, value, source, name: nameOf(value, source, baseDir) });
  }
  return out;
}

/**
 * The store's name for a store image whose paths are already absolute: what the engine's
 * `storeName` (images/resolve.ts) gives, rebuilt from the same primitives because importing
 * resolve.ts would bundle the registry client and tar into the server (a unit test keeps the two equal).
 */
export function storeNameOf(image: string): string | undefined {
  const src = classifyImage(image);
  if (src.kind === 'reference') return formatReference(parseReference(src.reference));
  if (src.kind === 'oci-layout') {
    const { dir, tag } = splitLayoutSpec(src.spec);
    return `oci-layout:${path.resolve(dir)}${tag ? `:${tag}` : ''}`;
  }
  if (src.kind === 'docker-archive') return `docker-archive:${path.resolve(src.path)}`;
  return undefined;
}

function nameOf(value: string, source: ImageSource, baseDir: string | undefined): string | undefined {
  if (!isStoreImage(value)) return undefined;
  // Relative layout/archive paths mean the spec's folder, as the engine resolves them.
  if (source.kind !== 'reference' && !baseDir) return undefined;
  try {
    return storeNameOf(resolveImageValue(value, (p) => resolveSpecPath(p, baseDir ?? '/')));
  } catch {
    return undefined; // an invalid reference: the spec check reports it
  }
}

/** What to hand the pull command: references as typed, local sources with their absolute path. */
function pullArgument(v: ImageValue): string {
  return v.source.kind === 'reference' ? v.value : (v.name ?? v.value);
}

function shortNameOf(rec: ImageRecord): string {
  if (classifyImage(rec.name).kind !== 'reference') return rec.name;
  try {
    return familiarReference(parseReference(rec.name));
  } catch {
    return rec.name;
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';
const argv = (a: string[] | null | undefined) => (a?.length ? code(JSON.stringify(a)) : undefined);

/** Markdown facts of a stored image. */
export function describeImage(rec: ImageRecord, catalog: ImageCatalog): string {
  const cfg = catalog.config(rec)?.config;
  const lines = [
    `- Digest: ${code(rec.manifestDigest)}`,
    `- Size: ${formatBytes(rec.size)} (compressed layers and config, ${rec.layers.length} layer${rec.layers.length === 1 ? '' : 's'})`,
    `- Platform: ${code(rec.platform)}`,
  ];
  const entrypoint = argv(cfg?.Entrypoint);
  const cmd = argv(cfg?.Cmd);
  if (entrypoint) lines.push(`- Entrypoint: ${entrypoint}`);
  if (cmd) lines.push(`- Cmd: ${cmd}`);
  if (!entrypoint && !cmd) lines.push('- Entrypoint/Cmd: none (give `command:`)');
  if (cfg?.WorkingDir) lines.push(`- Working directory: ${code(cfg.WorkingDir)}`);
  if (cfg?.User) lines.push(`- User: ${code(cfg.User)}`);
  if (rec.created) lines.push(`- Created: ${rec.created}`);
  lines.push(`- Pulled: ${rec.pulledAt}`);
  return lines.join('\n');
}

export interface ImageFeatures {
  hover(cd: ConfigDocument, pos: Position, baseDir: string | undefined): string | undefined;
  diagnostics(cd: ConfigDocument, baseDir: string | undefined, errors: readonly Diagnostic[]): Diagnostic[];
  codeActions(cd: ConfigDocument, range: Range, only: string[] | undefined, baseDir: string | undefined, errors: readonly Diagnostic[]): CodeAction[];
  /** Value completions for `image:` (stored images, then busybox); none for other paths. */
  completions(path: PathSegment[], partial: string, range: Range): CompletionItem[];
}

export function imageFeatures(catalog: ImageCatalog): ImageFeatures {
  const at = (cd: ConfigDocument, offset: number, baseDir: string | undefined) => imageValues(cd, baseDir).find((v) => offset >= v.node.start && offset <= v.node.end);

  function notPulled(cd: ConfigDocument, baseDir: string | undefined, errors: readonly Diagnostic[]): Array<{ v: ImageValue; d: Diagnostic }> {
    const out: Array<{ v: ImageValue; d: Diagnostic }> = [];
    for (const v of imageValues(cd, baseDir)) {
      if (!v.name || catalog.find(v.name)) continue;
      const range = cd.lines.range(v.node.start, v.node.end);
      // An error on the value already says what is wrong (bad reference, missing file, level).
      if (errors.some((e) => e.severity === 1 && overlaps(e.range, range))) continue;
      const what = v.source.kind === 'reference' ? `${v.value} (${v.name}) is not in the local image store` : `${v.value} is not imported into the local image store`;
      out.push({ v, d: { range, severity: INFORMATION, code: IMAGE_NOT_PULLED, source: SOURCE, message: `${what}: it is ${v.source.kind === 'reference' ? 'pulled' : 'imported'} at launch, or now with the quick fix.` } });
    }
    return out;
  }

  return {
    hover(cd, pos, baseDir) {
      const v = at(cd, cd.lines.offsetAt(pos), baseDir);
      if (!v?.name) return undefined;
      const rec = catalog.find(v.name);
      if (rec) return `**${v.value}** (image, in the local store as ${code(rec.name)})\n\n${describeImage(rec, catalog)}`;
      const how = v.source.kind === 'reference' ? 'not pulled' : 'not imported';
      return `**${v.value}** (image): ${how}. The store name is ${code(v.name)}; the launch ${v.source.kind === 'reference' ? 'pulls' : 'imports'} it first (or \`spectrum pull ${pullArgument(v)}\`).`;
    },
    diagnostics: (cd, baseDir, errors) => notPulled(cd, baseDir, errors).map((x) => x.d),
    codeActions(cd, range, only, baseDir, errors) {
      if (!kindWanted(only, 'quickfix')) return [];
      return notPulled(cd, baseDir, errors)
        .filter((x) => overlaps(x.d.range, range))
        .map(({ v, d }) => {
          const arg = pullArgument(v);
          const title = `${v.source.kind === 'reference' ? 'Pull' : 'Import'} ${arg}`;
          return { title, kind: 'quickfix', diagnostics: [d], isPreferred: true, command: { title, command: PULL_IMAGE_COMMAND, arguments: [arg] } };
        });
    },
    completions(path, partial, range) {
      if (path.length !== 1 || path[0] !== 'image') return [];
      // A path being typed gets the folder's entries (the generic path completion) only.
      if (/^[./~]/.test(partial)) return [];
      const items: CompletionItem[] = catalog.list().map((rec, i) => ({
        label: shortNameOf(rec),
        kind: KIND_MODULE,
        detail: `${formatBytes(rec.size)} · ${rec.platform} · ${rec.manifestDigest.slice(0, 19)}`,
        documentation: { kind: 'markdown', value: describeImage(rec, catalog) },
        textEdit: { range, newText: shortNameOf(rec) },
        sortText: `0${String(i).padStart(4, '0')}`,
      }));
      items.push({ label: 'busybox', kind: KIND_MODULE, detail: "the host's busybox-static", textEdit: { range, newText: 'busybox' }, sortText: '1busybox' });
      return items;
    },
  };
}
