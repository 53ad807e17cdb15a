// The semantic rules of the sandbox spec: what the schema cannot say. The language server shows
// these diagnostics and `spectrum up` refuses on the errors among them, so both agree.
import { isIsolation, MIN_GUEST_MEMORY, roleOf } from './levels';
import type { LineIndex } from './lines';
import { moveEdits } from './move';
import { checkNetworkRules } from './network-rules';
import { parseReference } from '../images/reference';
import { classifyImage } from '../images/source';
import { prop, type TreeNode, type TreeProperty } from './tree';
import type { Isolation, SpecDiagnostic, SpecFix } from './types';
import { formatBytes, parseDuration, parseMemory } from './units';
import { YamlEditor } from './yamlEdit';
import { PLANNED_WARM } from '../isolates/warm-start';

/** Containers need a few MiB for the runtime's own set-up before the workload runs. */
const MIN_CONTAINER_MEMORY = 4 * 1024 * 1024;

export function isPathLike(v: string): boolean {
  return v.startsWith('.') || v.startsWith('/') || v.startsWith('~');
}

/** `alpine`, `alpine:3`, `ghcr.io/x/y`, `nginx@sha256:...`: as in Docker, anything that is not a path, busybox or a local image source. */
export function isRegistryReference(v: string): boolean {
  return classifyImage(v).kind === 'reference';
}

export interface RuleContext {
  lines: LineIndex;
  root: TreeNode;
}

function hasGpu(v: TreeNode): boolean {
  if (v.kind === 'string') return v.value !== 'none';
  if (v.kind === 'array') return (v.items ?? []).length > 0;
  return false;
}

export function checkRules({ lines, root }: RuleContext): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  if (root.kind !== 'object') return out;
  const editor = new YamlEditor(lines);
  const r = (n: { start: number; end: number }) => lines.range(n.start, n.end);
  const keyRange = (p: TreeProperty) => lines.range(p.keyStart, p.keyEnd);
  const isoProp = prop(root, 'isolation');
  const level: Isolation | undefined = isIsolation(isoProp?.value.value) ? (isoProp?.value.value as Isolation) : undefined;
  const moveFix = (to: Isolation, why: string): SpecFix => ({ title: `Move to isolation level ${to} (${why})`, edits: moveEdits(root, lines, to) });
  const removeFix = (p: TreeProperty): SpecFix => ({ title: `Remove "${p.key}"`, edits: [editor.removeProperty(root, p)] });
  if (!level) return out;

  const gpu = prop(root, 'gpu');
  const command = prop(root, 'command');
  const devices = prop(root, 'devices');
  const special = new Set<string>();

  if (gpu && hasGpu(gpu.value) && (level === 'microvm' || level === 'isolate')) {
    special.add('gpu');
    out.push({
      range: r(gpu.value),
      severity: 'error',
      code: level === 'microvm' ? 'gpu-on-microvm' : 'gpu-on-isolate',
      message:
        level === 'microvm'
          ? 'A microvm cannot have a GPU: our microvm profile has no PCI bus and Firecracker has no VFIO passthrough. Use gvisor (NVProxy) or vm (PCI passthrough with VFIO).'
          : 'An isolate cannot use a GPU: it runs JS/Wasm inside workerd with no device access. Use gvisor (NVProxy) or vm (PCI passthrough with VFIO).',
      fixes: [moveFix('gvisor', 'GPU through NVProxy'), moveFix('vm', 'GPU through VFIO passthrough'), removeFix(gpu)],
    });
  }
  if (command && level === 'isolate') {
    special.add('command');
    out.push({
      range: keyRange(command),
      severity: 'error',
      code: 'command-on-isolate',
      message: 'An isolate cannot run a command: it has no syscalls and runs no binaries, only the JS/Wasm module in `worker`. Use container to run a program.',
      fixes: [moveFix('container', 'runs binaries'), removeFix(command)],
    });
  }
  if (devices && level !== 'vm' && (devices.value.items ?? []).length > 0) {
    special.add('devices');
    out.push({
      range: keyRange(devices),
      severity: 'error',
      code: 'devices-need-vm',
      message: 'PCI passthrough needs a full VM: only isolation vm has a PCI bus for VFIO devices.',
      fixes: [moveFix('vm', 'PCI passthrough'), removeFix(devices)],
    });
  }
  for (const p of root.properties ?? []) {
    if (special.has(p.key) || roleOf(p.key, level) !== 'drops') continue;
    if (p.value.kind === 'null' || (p.value.kind === 'array' && !(p.value.items ?? []).length) || (p.key === 'gpu' && !hasGpu(p.value))) continue;
    out.push({ range: keyRange(p), severity: 'warning', code: 'field-not-for-level', message: `"${p.key}" has no effect at isolation level ${level}.`, fixes: [removeFix(p)] });
  }

  // Fields the level needs.
  const anchor = isoProp ? r(isoProp.value) : lines.range(root.start, root.start);
  if (level === 'isolate' && !prop(root, 'worker')) {
    out.push({ range: anchor, severity: 'error', code: 'missing-key', message: 'An isolate needs `worker`: the JS/Wasm module workerd runs.', fixes: [{ title: 'Add "worker"', edits: [editor.insertProperty(root, 'worker', './worker.js')] }] });
  }
  if (level !== 'isolate' && !prop(root, 'image')) {
    out.push({ range: anchor, severity: 'error', code: 'missing-key', message: `Isolation level ${level} needs \`image\`: busybox, a directory${level === 'microvm' || level === 'vm' ? ', a disk image' : ', an OCI bundle directory'} or an image (alpine:3.20, oci-layout:DIR, docker-archive:FILE.tar).`, fixes: [{ title: 'Add "image: busybox"', edits: [editor.insertProperty(root, 'image', 'busybox')] }] });
  }

  const image = prop(root, 'image');
  const imageValue = image && image.value.kind === 'string' && typeof image.value.value === 'string' ? image.value.value : undefined;
  if (image && imageValue !== undefined && roleOf('image', level) !== 'drops') {
    if (isRegistryReference(imageValue)) {
      try {
        parseReference(imageValue);
      } catch (err) {
        out.push({ range: r(image.value), severity: 'error', code: 'invalid-image-reference', message: `${(err as Error).message}. An image is busybox, a path (./rootfs), a reference (alpine:3.20), oci-layout:DIR[:TAG] or docker-archive:FILE.tar.` });
      }
    }
  }

  const resources = prop(root, 'resources')?.value;
  const memory = prop(resources, 'memory');
  const bytes = memory ? parseMemory(memory.value.value) : undefined;
  if (memory && bytes !== undefined) {
    const min = MIN_GUEST_MEMORY[level];
    if (min && bytes < min) {
      out.push({
        range: r(memory.value),
        severity: 'error',
        code: 'memory-too-low',
        message: `${level} boots its own guest kernel, which needs at least ${formatBytes(min)}; ${String(memory.value.value)} is not enough.`,
        fixes: [{ title: `Set memory to ${formatBytes(min)}`, edits: [{ range: r(memory.value), newText: formatBytes(min) }] }],
      });
    } else if (!min && level !== 'isolate' && bytes < MIN_CONTAINER_MEMORY) {
      out.push({ range: r(memory.value), severity: 'error', code: 'impossible-resources', message: `Memory ${String(memory.value.value)} is below the ${formatBytes(MIN_CONTAINER_MEMORY)} a runtime needs to start any process.`, fixes: [{ title: `Set memory to ${formatBytes(MIN_CONTAINER_MEMORY)}`, edits: [{ range: r(memory.value), newText: formatBytes(MIN_CONTAINER_MEMORY) }] }] });
    }
  }
  const cpus = prop(resources, 'cpus');
  if (cpus && typeof cpus.value.value === 'number' && (level === 'microvm' || level === 'vm') && !Number.isInteger(cpus.value.value) && cpus.value.value > 0) {
    const whole = Math.ceil(cpus.value.value);
    out.push({ range: r(cpus.value), severity: 'error', code: 'impossible-resources', message: `A ${level} has whole vCPUs; ${cpus.value.value} is not a whole number.`, fixes: [{ title: `Use ${whole}`, edits: [{ range: r(cpus.value), newText: String(whole) }] }] });
  }
  const timeout = prop(root, 'timeout');
  if (timeout && parseDuration(timeout.value.value) === 0) {
    out.push({ range: r(timeout.value), severity: 'error', code: 'impossible-resources', message: 'A zero timeout would kill the sandbox before it starts.' });
  }
  out.push(...checkNetworkRules(root, level, lines));
  // The launch refuses the same (engine/isolates/warm-start.ts): say so while editing. A microvm
  // can start warm from a saved base (engine/vm/warm-start.ts refuses what can't, with the reason).
  const start = prop(root, 'start');
  if (start?.value.value === 'warm' && level !== 'isolate' && level !== 'microvm') {
    out.push({
      range: r(start.value),
      severity: 'error',
      code: 'no-warm-start',
      message: `No warm start for ${level} sandboxes yet (isolates start warm; ${PLANNED_WARM[level]} is planned). Use start: auto to start warm where possible.`,
      fixes: [{ title: 'Use start: auto', edits: [{ range: r(start.value), newText: 'auto' }] }],
    });
  }
  return out;
}

/** Names must be unique in a file: the later duplicates are flagged. */
export function checkDuplicateNames(roots: TreeNode[], lines: LineIndex): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    const name = prop(root, 'name');
    if (!name || typeof name.value.value !== 'string') continue;
    const v = name.value.value;
    if (seen.has(v)) {
      let n = 2;
      while (seen.has(`${v}-${n}`)) n++;
      out.push({ range: lines.range(name.value.start, name.value.end), severity: 'error', code: 'duplicate-name', message: `Another sandbox in this file is already named "${v}".`, fixes: [{ title: `Rename to ${v}-${n}`, edits: [{ range: lines.range(name.value.start, name.value.end), newText: `${v}-${n}` }] }] });
    }
    seen.add(v);
  }
  return out;
}
