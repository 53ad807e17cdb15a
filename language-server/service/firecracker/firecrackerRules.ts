// Firecracker rules the schema cannot express: SMT needs 1 or an even vCPU count, 2M huge pages
// need an even memory size, one root drive, unique ids, MMDS interfaces that exist, paths on disk.
import firecrackerSchema from '../../../schemas/firecracker.schema.json';
import { resolveSpecPath } from '../../../engine/spec/model';
import { closest } from '../../../engine/spec/schema';
import { prop, type TreeNode, type TreeProperty } from '../../../engine/spec/tree';
import type { SpecDiagnostic } from '../../../engine/spec/types';
import type { RuleInput } from '../json/jsonConfigService';

const SECTIONS = Object.keys(firecrackerSchema.properties);

/** Firecracker reads an explicit `null` as an absent field. */
function given(p: TreeProperty | undefined): TreeProperty | undefined {
  return p && p.value.kind !== 'null' ? p : undefined;
}

function uniqueIds(items: TreeNode[], key: string, input: RuleInput, out: SpecDiagnostic[]): void {
  const seen = new Set<string>();
  for (const it of items) {
    const v = prop(it, key)?.value;
    if (!v || typeof v.value !== 'string') continue;
    if (seen.has(v.value)) out.push({ range: input.lines.range(v.start, v.end), severity: 'error', code: 'duplicate-id', message: `Another entry already uses ${key} "${v.value}".` });
    seen.add(v.value);
  }
}

export function firecrackerRules(input: RuleInput): SpecDiagnostic[] {
  const { root, lines } = input;
  const out: SpecDiagnostic[] = [];
  const r = (n: TreeNode) => lines.range(n.start, n.end);
  // Firecracker skips top-level keys it does not know, so a typo silently drops a whole section.
  for (const p of root.properties ?? []) {
    if (SECTIONS.includes(p.key)) continue;
    const near = closest(p.key, SECTIONS.filter((k) => !prop(root, k)));
    const fixes = near ? [{ title: `Change to "${near}"`, edits: [{ range: lines.range(p.keyStart, p.keyEnd), newText: JSON.stringify(near) }] }] : [];
    out.push({ range: lines.range(p.keyStart, p.keyEnd), severity: 'warning', code: 'unknown-key', message: `Unknown key "${p.key}": Firecracker ignores it.${near ? ` Did you mean "${near}"?` : ''}`, fixes: [...fixes, { title: `Remove "${p.key}"`, edits: [input.editor.removeProperty(root, p)] }] });
  }
  const mc = prop(root, 'machine-config')?.value;
  const vcpu = prop(mc, 'vcpu_count')?.value;
  const smt = prop(mc, 'smt')?.value;
  if (smt?.value === true && vcpu && typeof vcpu.value === 'number' && vcpu.value > 1 && vcpu.value % 2 === 1 && vcpu.value <= 32) {
    const up = Math.min(32, vcpu.value + 1);
    out.push({ range: r(vcpu), severity: 'error', code: 'smt-odd-vcpus', message: `With smt enabled, vcpu_count must be 1 or even; ${vcpu.value} is odd.`, fixes: [{ title: `Use ${up} vCPUs`, edits: [{ range: r(vcpu), newText: String(up) }] }, { title: `Use ${vcpu.value - 1} vCPUs`, edits: [{ range: r(vcpu), newText: String(vcpu.value - 1) }] }] });
  }
  const mem = prop(mc, 'mem_size_mib')?.value;
  if (prop(mc, 'huge_pages')?.value.value === '2M' && mem && typeof mem.value === 'number' && Number.isInteger(mem.value) && mem.value % 2 === 1) {
    out.push({ range: r(mem), severity: 'error', code: 'huge-pages-memory', message: `2M huge pages need mem_size_mib to be a multiple of 2; ${mem.value} is odd.`, fixes: [{ title: `Use ${mem.value + 1} MiB`, edits: [{ range: r(mem), newText: String(mem.value + 1) }] }] });
  }
  const drives = prop(root, 'drives')?.value.items ?? [];
  const roots = drives.map((d) => prop(d, 'is_root_device')).filter((p) => p?.value.value === true);
  for (const extra of roots.slice(1)) if (extra) out.push({ range: r(extra.value), severity: 'error', code: 'multiple-root-drives', message: 'Only one drive can be the root device.' });
  uniqueIds(drives, 'drive_id', input, out);
  for (const d of drives) {
    const socket = given(prop(d, 'socket'));
    const p = given(prop(d, 'path_on_host'));
    if (!socket && !p && d.kind === 'object') out.push({ range: lines.range(d.start, d.start + 1), severity: 'error', code: 'missing-key', message: 'A virtio-blk drive needs "path_on_host" (or "socket" for vhost-user-blk).', fixes: [{ title: 'Add "path_on_host"', edits: [input.editor.insertProperty(d, 'path_on_host', '""')] }] });
    if (socket && (p || given(prop(d, 'is_read_only')))) out.push({ range: lines.range(socket.keyStart, socket.keyEnd), severity: 'error', code: 'vhost-user-conflict', message: 'A vhost-user-blk drive ("socket") takes neither "path_on_host" nor "is_read_only".' });
  }
  const nics = prop(root, 'network-interfaces')?.value.items ?? [];
  uniqueIds(nics, 'iface_id', input, out);
  const ids = new Set(nics.map((n) => prop(n, 'iface_id')?.value.value).filter((v): v is string => typeof v === 'string'));
  for (const i of prop(prop(root, 'mmds-config')?.value, 'network_interfaces')?.value.items ?? []) {
    if (typeof i.value === 'string' && !ids.has(i.value)) out.push({ range: r(i), severity: 'error', code: 'unknown-interface', message: `No network interface has iface_id "${i.value}".` });
  }
  // Files the VMM opens at start; logs, metrics and sockets are created by Firecracker itself.
  if (input.baseDir) {
    const files: (TreeNode | undefined)[] = [prop(prop(root, 'boot-source')?.value, 'kernel_image_path')?.value, prop(prop(root, 'boot-source')?.value, 'initrd_path')?.value, ...drives.map((d) => prop(d, 'path_on_host')?.value)];
    for (const f of files) {
      if (!f || typeof f.value !== 'string' || !f.value) continue;
      if (!input.fs.stat(resolveSpecPath(f.value, input.baseDir))) out.push({ range: r(f), severity: 'warning', code: 'file-not-found', message: `${f.value} does not exist (relative paths resolve against the directory Firecracker starts in; here, the config's directory).` });
    }
  }
  return out;
}
