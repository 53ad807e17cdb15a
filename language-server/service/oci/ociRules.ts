// What a sandbox user cares about in a bundle's config.json beyond its shape: a root that is not
// there, and set-ups that weaken isolation (host namespaces, extra capabilities, writable host
// mounts, no seccomp, all devices, host hooks).
import ociSchema from '../../../schemas/oci-config.schema.json';
import { resolveSpecPath } from '../../../engine/spec/model';
import type { JsonSchema } from '../../../engine/spec/schema';
import { closest, schemaAt } from '../../../engine/spec/schema';
import { prop, type TreeNode } from '../../../engine/spec/tree';
import type { SpecDiagnostic } from '../../../engine/spec/types';
import type { RuleInput } from '../json/jsonConfigService';

/** Docker's default capability set: anything else widens what an escape can do. */
export const DEFAULT_CAPABILITIES = new Set(['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID', 'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE']);
const KNOWN_CAPABILITIES = new Set((schemaAt(ociSchema as JsonSchema, ['process', 'capabilities', 'bounding', 0])?.enum ?? []) as string[]);
const RLIMITS = (schemaAt(ociSchema as JsonSchema, ['process', 'rlimits', 0, 'type'])?.enum ?? []) as string[];
const ISOLATING_NAMESPACES = ['pid', 'network', 'mount', 'ipc', 'uts'];

/**
 * What the runtime-spec's schema leaves to the runtimes: `root` is required everywhere but on
 * Windows Hyper-V and VM containers (the spec's text says so), runc refuses unknown resource
 * limits, and unknown capability names are ignored with only a log line.
 */
function runtimeChecks(input: RuleInput, out: SpecDiagnostic[]): void {
  const { root, lines, editor } = input;
  if (!prop(root, 'root') && !prop(root, 'windows') && !prop(root, 'vm')) {
    out.push({ range: lines.range(root.start, root.start + 1), severity: 'error', code: 'missing-key', message: 'Missing required key "root": Linux, FreeBSD, Solaris and z/OS containers need a root filesystem.', fixes: [{ title: 'Add "root"', edits: [editor.insertProperty(root, 'root', '{ "path": "rootfs" }')] }] });
  }
  const process = prop(root, 'process')?.value;
  for (const rl of prop(process, 'rlimits')?.value.items ?? []) {
    const t = prop(rl, 'type')?.value;
    if (!t || typeof t.value !== 'string' || RLIMITS.includes(t.value)) continue;
    const near = closest(t.value, RLIMITS);
    out.push({ range: lines.range(t.start, t.end), severity: 'error', code: 'bad-value', message: `${t.value} is not a Linux resource limit; runc refuses the config.${near ? ` Did you mean ${near}?` : ''}`, ...(near ? { fixes: [{ title: `Change to ${near}`, edits: [{ range: lines.range(t.start, t.end), newText: JSON.stringify(near) }] }] } : {}) });
  }
  for (const set of prop(process, 'capabilities')?.value.properties ?? []) {
    for (const c of set.value.items ?? []) {
      if (typeof c.value !== 'string' || KNOWN_CAPABILITIES.has(c.value)) continue;
      const near = closest(c.value, [...KNOWN_CAPABILITIES]);
      out.push({ range: lines.range(c.start, c.end), severity: 'warning', code: 'bad-value', message: `${c.value} is not a Linux capability; runtimes skip names they do not know.${near ? ` Did you mean ${near}?` : ''}`, ...(near ? { fixes: [{ title: `Change to ${near}`, edits: [{ range: lines.range(c.start, c.end), newText: JSON.stringify(near) }] }] } : {}) });
    }
  }
}

export function ociRules(input: RuleInput): SpecDiagnostic[] {
  const { root, lines, editor } = input;
  const out: SpecDiagnostic[] = [];
  runtimeChecks(input, out);
  const r = (n: TreeNode) => lines.range(n.start, n.end);
  const version = prop(root, 'ociVersion')?.value;
  if (version && typeof version.value === 'string' && /^[0-9]/.test(version.value) && !version.value.startsWith('1.')) {
    out.push({ range: r(version), severity: 'warning', code: 'oci-version', message: `runtime-spec ${version.value} is not a 1.x version; runc and runsc read 1.x configs.` });
  }
  const rootPath = prop(prop(root, 'root')?.value, 'path')?.value;
  if (rootPath && typeof rootPath.value === 'string' && rootPath.value && input.baseDir && input.fs.stat(resolveSpecPath(rootPath.value, input.baseDir)) !== 'directory') {
    out.push({ range: r(rootPath), severity: 'error', code: 'root-not-found', message: `The root filesystem "${rootPath.value}" does not exist in the bundle.` });
  }
  const linux = prop(root, 'linux')?.value;
  const nsProp = prop(linux, 'namespaces');
  if (linux && nsProp && nsProp.value.kind === 'array') {
    const types = new Set((nsProp.value.items ?? []).map((n) => prop(n, 'type')?.value.value));
    const missing = ISOLATING_NAMESPACES.filter((t) => !types.has(t));
    if (missing.length) {
      out.push({ range: lines.range(nsProp.keyStart, nsProp.keyEnd), severity: 'warning', code: 'host-namespace', message: `Shares the host's ${missing.join(', ')} namespace${missing.length > 1 ? 's' : ''}: the container sees and affects the host there.` });
    }
    for (const n of nsProp.value.items ?? []) {
      const p = prop(n, 'path');
      if (p && typeof p.value.value === 'string') out.push({ range: r(p.value), severity: 'warning', code: 'joined-namespace', message: `Joins an existing ${String(prop(n, 'type')?.value.value ?? '')} namespace instead of creating its own.` });
    }
  } else if (linux && !nsProp) {
    out.push({ range: lines.range(prop(root, 'linux')!.keyStart, prop(root, 'linux')!.keyEnd), severity: 'warning', code: 'host-namespace', message: 'No namespaces: the container shares every namespace with the host.' });
  }
  const process = prop(root, 'process')?.value;
  const caps = prop(process, 'capabilities')?.value;
  const flagged = new Set<string>();
  for (const set of caps?.properties ?? []) {
    for (const c of set.value.items ?? []) {
      // Unknown names get their own finding (runtimeChecks); only real capabilities are judged here.
      if (typeof c.value !== 'string' || DEFAULT_CAPABILITIES.has(c.value) || !KNOWN_CAPABILITIES.has(c.value)) continue;
      const again = flagged.has(c.value);
      flagged.add(c.value);
      if (!again || set.key === 'bounding') {
        out.push({ range: r(c), severity: 'warning', code: 'privileged-capability', message: `${c.value} is beyond the default capability set: a process holding it can reach far into the host.`, fixes: [{ title: `Remove ${c.value} from ${set.key}`, edits: [removeItem(input, set.value, c)] }] });
      }
    }
  }
  const nnp = prop(process, 'noNewPrivileges');
  if (process && nnp?.value.value !== true) {
    const at = nnp ? r(nnp.value) : lines.range(prop(root, 'process')!.keyStart, prop(root, 'process')!.keyEnd);
    out.push({ range: at, severity: 'information', code: 'no-new-privileges', message: 'noNewPrivileges is off: setuid binaries in the container can gain privileges.', fixes: [{ title: 'Set noNewPrivileges: true', edits: [nnp ? { range: r(nnp.value), newText: 'true' } : editor.insertProperty(process, 'noNewPrivileges', 'true')] }] });
  }
  if (linux && !prop(linux, 'seccomp')) {
    const l = prop(root, 'linux')!;
    out.push({ range: lines.range(l.keyStart, l.keyEnd), severity: 'warning', code: 'no-seccomp', message: 'No seccomp profile: every syscall reaches the host kernel.' });
  }
  for (const d of prop(prop(linux, 'resources')?.value, 'devices')?.value.items ?? []) {
    const allow = prop(d, 'allow')?.value;
    const type = prop(d, 'type')?.value.value;
    if (allow?.value === true && (type === undefined || type === 'a') && !prop(d, 'major') && !prop(d, 'minor')) {
      out.push({ range: r(d), severity: 'warning', code: 'all-devices', message: 'Allows access to every device node of the host.' });
    }
  }
  for (const m of prop(root, 'mounts')?.value.items ?? []) {
    const options = (prop(m, 'options')?.value.items ?? []).map((o) => o.value);
    const isBind = prop(m, 'type')?.value.value === 'bind' || options.includes('bind') || options.includes('rbind');
    const src = prop(m, 'source')?.value;
    if (isBind && !options.includes('ro') && src && typeof src.value === 'string' && src.value.startsWith('/')) {
      out.push({ range: r(src), severity: 'warning', code: 'writable-host-mount', message: `Host path ${src.value} is mounted writable.` });
    }
  }
  const hooks = prop(root, 'hooks');
  if (hooks && (hooks.value.properties ?? []).some((h) => (h.value.items ?? []).length)) {
    out.push({ range: lines.range(hooks.keyStart, hooks.keyEnd), severity: 'information', code: 'host-hooks', message: 'Hooks run programs on the host with the runtime\'s privileges.' });
  }
  if (prop(root, 'root')?.value && prop(prop(root, 'root')?.value, 'readonly')?.value.value !== true) {
    const rp = prop(root, 'root')!;
    out.push({ range: lines.range(rp.keyStart, rp.keyEnd), severity: 'hint', code: 'writable-root', message: 'The root filesystem is writable.' });
  }
  return out;
}

/** Removes one element of a JSON array with its separating comma. */
function removeItem(input: RuleInput, arr: TreeNode, item: TreeNode) {
  const text = input.lines.text;
  let s = item.start;
  let e = item.end;
  const after = /^\s*,\s*/.exec(text.slice(e, arr.end));
  if (after) e += after[0].length;
  else {
    const before = /,\s*$/.exec(text.slice(arr.start + 1, s));
    if (before) s -= before[0].length;
  }
  return { range: input.lines.range(s, e), newText: '' };
}
