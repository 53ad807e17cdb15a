// The DocumentService for `*.sandbox.yaml` files.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { RunningSandboxInfo } from '../../protocol';
import { DocumentCache, type ConfigDocument } from '../configDocument';
import { toLspDiagnostic } from '../convert';
import { noFileSystem, type FileSystem } from '../fs';
import { missingFiles } from '../../../engine/spec/files';
import { quickFixes } from '../providers/codeActions';
import { yamlCompletion } from '../providers/completion';
import { pathDefinition } from '../providers/definition';
import { pathLinks } from '../providers/links';
import { formatYaml } from '../providers/format';
import { schemaHover } from '../providers/hover';
import { treeSymbols } from '../providers/symbols';
import type { DocumentService } from '../types';
import { documentDir, uriToPath } from '../uri';
import { sandboxLenses } from './lenses';
import { exportHints, levelDecorator, levelHover } from './levelInfo';
import { exportPathFor } from '../../../engine/export/write';
import { moveActions } from './refactor';
import { buildSandboxDocument, type SandboxDocument } from './sandboxDocument';
import { prop } from '../../../engine/spec/tree';
import type { ImageCatalog } from './imageCatalog';
import { imageFeatures } from './imageFeatures';

export function isSandboxDocument(doc: TextDocument): boolean {
  return doc.languageId === 'sandbox' || /\.sandbox\.ya?ml$/i.test(doc.uri);
}

export interface SandboxService extends DocumentService {
  setRunning(sandboxes: readonly RunningSandboxInfo[]): void;
  parsed(doc: TextDocument): ConfigDocument;
}

/** `images`: the local image store, for `image:` completion, hovers and not-pulled hints (none without it). */
export function createSandboxService(fs: FileSystem, images?: ImageCatalog): SandboxService {
  const cache = new DocumentCache(buildSandboxDocument);
  const get = (doc: TextDocument) => cache.get(doc) as SandboxDocument;
  let running: readonly RunningSandboxInfo[] = [];
  const image = images ? imageFeatures(images) : undefined;
  /** The diagnostics of the spec itself, without the image store's hints. */
  const specDiagnostics = (doc: TextDocument) => {
    const cd = get(doc);
    const dir = documentDir(doc.uri);
    // Files come and go between edits, so their existence is checked on every pass, uncached.
    const files = dir && fs !== noFileSystem ? missingFiles(cd.spec, dir, (p) => fs.stat(p) !== undefined).map((m) => m.diagnostic) : [];
    // What Export to Kubernetes would refuse matters once the spec is exported (its manifests
    // sit beside it); before that, hints on every isolate spec would only be noise.
    const file = uriToPath(doc.uri);
    const exported = file && fs !== noFileSystem && fs.stat(exportPathFor(file)) !== undefined;
    return [...cd.diagnostics, ...files, ...(exported ? exportHints(cd, cd.spec) : [])].map(toLspDiagnostic);
  };
  return {
    accepts: isSandboxDocument,
    parsed: get,
    setRunning(list) {
      running = list;
    },
    diagnostics(doc) {
      const own = specDiagnostics(doc);
      return image ? [...own, ...image.diagnostics(get(doc), documentDir(doc.uri), own)] : own;
    },
    hover(doc, pos) {
      const stored = image?.hover(get(doc), pos, documentDir(doc.uri));
      const generic = schemaHover(get(doc), pos, levelHover);
      if (!stored) return generic;
      return { contents: { kind: 'markdown', value: stored }, ...(generic?.range ? { range: generic.range } : {}) };
    },
    completion: (doc, pos) => yamlCompletion({ cd: get(doc), fs, baseDir: documentDir(doc.uri), decorate: levelDecorator, values: image?.completions }, pos),
    codeActions: (doc, range, context) => [
      ...quickFixes(get(doc), range, context.only),
      ...moveActions(get(doc), range, context.only),
      ...(image ? image.codeActions(get(doc), range, context.only, documentDir(doc.uri), specDiagnostics(doc)) : []),
    ],
    codeLenses: (doc) => sandboxLenses(get(doc), running),
    documentSymbols(doc) {
      const cd = get(doc);
      return cd.roots
        .filter((r) => r.root.kind === 'object')
        .map((r) => {
          const name = prop(r.root, 'name')?.value.value;
          const iso = prop(r.root, 'isolation')?.value.value;
          const range = cd.lines.range(r.root.start, r.root.end);
          const nameNode = prop(r.root, 'name')?.value;
          return {
            name: typeof name === 'string' && name ? name : `sandbox ${r.index + 1}`,
            kind: 2,
            ...(typeof iso === 'string' ? { detail: iso } : {}),
            range,
            selectionRange: nameNode ? cd.lines.range(nameNode.start, nameNode.end) : { start: range.start, end: range.start },
            children: treeSymbols(cd, r.root, 3),
          };
        });
    },
    definition: (doc, pos) => pathDefinition(get(doc), pos, fs, documentDir(doc.uri)),
    documentLinks: (doc) => pathLinks(get(doc), fs, documentDir(doc.uri)),
    format: (doc, options) => formatYaml(get(doc), get(doc).yamlDocs, options),
  };
}
