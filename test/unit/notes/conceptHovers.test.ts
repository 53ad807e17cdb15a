// The built-in notes as a reader meets them: every concept term hovers with a definition first,
// the facts a hover must not hide are in it, and ordinary words stay plain.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { ConceptIndex, readBuiltinConcepts } from '../../../extension/preview/conceptIndex';
import { extendMarkdownIt } from '../../../extension/preview/plugin';
import { hoverText, posOf, workspace } from './helpers';

const NOTES = path.resolve(__dirname, '../../../notes');

/** Title and first paragraph line of a concept hover. */
function parts(text: string): { title: string; definition: string; body: string } {
  const [title = '', body = ''] = text.split('\n\n');
  return { title, definition: body.split('\n')[0] ?? '', body };
}

// Each term a domain review found without a hover, or as a missing concept: the heading it must
// resolve to, and what the first line of that hover must say.
const TERMS: Array<[term: string, heading: string, definition: RegExp]> = [
  ['Cloudflare Workers', 'Cloudflare Workers', /serverless service that runs customers' JavaScript and Wasm/],
  ['V8', 'V8', /open-source JavaScript and WebAssembly engine/],
  ['WebAssembly', 'WebAssembly', /portable binary instruction format/],
  ['Wasm', 'WebAssembly', /portable binary instruction format/],
  ['attack surface', 'Attack Surface', /code an attacker can reach with input it controls/],
  ['hypercall', 'Hypercall', /call from a guest kernel into its Hypervisor/],
  ['VM exit', 'VM Exit', /switch from a running guest back to the hypervisor/],
  ['user-space kernel', 'User-Space Kernel', /kernel that runs as ordinary unprivileged host processes/],
  ['container runtime', 'Container Runtime', /turns an image into running containers/],
  ['device controller', 'Devices Controller', /controller that decides which device nodes/],
  ['CUDA', 'CUDA', /programming model and software stack/],
  ['PCI bus', 'PCI Bus', /interconnect through which a CPU finds and talks to devices/],
  ['serial console', 'Serial Console', /emulated serial port/],
  ['AWS Lambda', 'AWS Lambda', /serverless function service/],
  ['Fargate', 'AWS Fargate', /serverless compute for containers/],
  ['Kata Containers', 'Kata Containers', /runs each pod or container inside its own lightweight VM/],
  ['Cloud Hypervisor', 'Cloud Hypervisor', /open-source VMM in Rust/],
  ['snapshot and restore', 'Snapshot and Restore', /Saving the complete state of a running sandbox/],
  ['Firecracker snapshots', 'Firecracker Snapshot', /pause a MicroVM and write its memory/],
  ['runsc checkpoint', 'gVisor Checkpoint', /saves a whole gVisor sandbox/],
  ['CRIU', 'CRIU', /checkpoints a tree of ordinary processes/],
  ['vsock', 'Vsock', /socket address family for talking between a guest and its host/],
  ['virtio-mmio', 'virtio-mmio', /transport where a device is a small memory-mapped register window/],
  ['virtio-pci', 'virtio-pci', /transport where each device is a PCI function/],
  ['SR-IOV', 'SR-IOV', /one physical device .* present many lightweight virtual functions/],
  ['vGPU', 'vGPU', /Sharing one physical GPU among several VMs/],
  ['MIG', 'Multi-Instance GPU', /partitioning of one data-centre GPU/],
  ['hypercalls', 'Hypercall', /call from a guest kernel/],
  ['container hardening', 'Container Hardening', /layers that narrow what a Container's processes can ask/],
  ['user namespaces', 'User Namespaces', /maps user and group IDs/],
  ['Linux capabilities', 'Linux Capabilities', /division of root's power/],
  ['AppArmor', 'AppArmor', /Linux Security Module that confines programs by path-based rules/],
  ['SELinux', 'SELinux', /Linux Security Module that confines processes by labels/],
  ['seccomp profiles', 'Seccomp Profile', /Seccomp filter a container runtime installs/],
  ['RuntimeClass', 'RuntimeClass', /Kubernetes object .* that names a container runtime configuration/],
  ['containerd shims', 'containerd Shim', /per-container \(or per-pod\) process between containerd and the low-level runtime/],
  ['Spectre', 'Spectre-Class Side Channels', /make the CPU speculatively run code/],
  ['AWS Nitro', 'AWS Nitro', /hardware and software platform under current Amazon EC2 instances/],
];

describe('concept terms in a user note', () => {
  const lines = TERMS.map(([term]) => `- We compared ${term} with the rest last week.`);
  const { service, doc } = workspace({ 'mine.md': ['# Reading Log', ...lines].join('\n') });
  const d = doc('mine.md');

  for (const [term, heading, definition] of TERMS) {
    test(`"${term}" hovers as ${heading}, defined in the hover's first paragraph`, () => {
      const text = hoverText(service.conceptSource.conceptHover(d, posOf(d, `compared ${term} with`, 'compared '.length + 1)));
      const p = parts(text);
      assert.equal(p.title.replace(/ · _also:.*$/, ''), `**${heading}**`, text);
      assert.match(p.definition, /^- /);
      assert.match(p.definition, definition);
    });
  }

  test('both sides of a slash are terms: Docker/runc, AWS Lambda/Fargate, WebAssembly/Wasm, AppArmor/SELinux', () => {
    const { service: s, doc: dd } = workspace({ 's.md': '# Stack\nWe ran Docker/runc, then AWS Lambda/Fargate, WebAssembly/Wasm under AppArmor/SELinux.\nPaths like /usr/local/bin/tool stay plain.' });
    const note = dd('s.md');
    const title = (needle: string, offset: number): string => parts(hoverText(s.conceptSource.conceptHover(note, posOf(note, needle, offset)))).title;
    assert.match(title('Docker/runc', 1), /^\*\*Docker\*\*/);
    assert.match(title('Docker/runc', 9), /^\*\*runc\*\*/);
    assert.match(title('Lambda/Fargate', 2), /^\*\*AWS Lambda\*\*/);
    assert.match(title('Lambda/Fargate', 10), /^\*\*AWS Fargate\*\*/);
    assert.match(title('WebAssembly/Wasm', 3), /^\*\*WebAssembly\*\*/);
    assert.match(title('WebAssembly/Wasm', 14), /^\*\*WebAssembly\*\*/);
    assert.match(title('AppArmor/SELinux', 2), /^\*\*AppArmor\*\*/);
    assert.match(title('AppArmor/SELinux', 12), /^\*\*SELinux\*\*/);
    assert.equal(title('/usr/local/bin/tool', 6), '');
    const kvm = workspace({ 'k.md': '# K\nOpen /dev/kvm first.' });
    assert.match(parts(hoverText(kvm.service.conceptSource.conceptHover(kvm.doc('k.md'), posOf(kvm.doc('k.md'), '/dev/kvm', 6)))).title, /^\*\*KVM\*\*/);
  });
});

describe('ordinary words are not concepts', () => {
  const SENTENCE = 'Our platform team offers a spectrum of options and weighs the trade-offs; we isolate each build, write a lambda function, take a snapshot and add capabilities.';
  const WORDS = ['platform', 'spectrum', 'trade-offs', 'isolate', 'lambda function', 'snapshot', 'capabilities'];

  test('no hover on "platform", "spectrum" or other ordinary words in a user note', () => {
    const { service, doc } = workspace({ 'team.md': `# Team\n${SENTENCE}\n` });
    const d = doc('team.md');
    for (const word of WORDS) {
      assert.equal(service.conceptSource.conceptHover(d, posOf(d, word, 2)), null, word);
      assert.equal(service.index.hoverable(word), undefined, word);
    }
  });

  test('the preview gives them no tooltip either, but still marks real terms', () => {
    const md = extendMarkdownIt(new MarkdownIt({ html: true }), new ConceptIndex(readBuiltinConcepts(NOTES)));
    assert.doesNotMatch(md.render(SENTENCE), /spectrum-concept/);
    const html = md.render('We ran Docker/runc; see /usr/bin/runc and https://example.com/gvisor.');
    assert.deepEqual([...html.matchAll(/class="spectrum-concept"[^>]*>([^<]+)</g)].map((m) => m[1]), ['Docker', 'runc']);
  });
});

describe('the facts a hover must not hide', () => {
  const { service } = workspace({});
  const hoverOf = (name: string): string => {
    const def = service.index.resolve(name);
    assert.ok(def, name);
    return def.heading.summary;
  };
  const section = (file: string, heading: string): string => {
    const text = readFileSync(path.join(NOTES, file), 'utf8');
    const start = text.indexOf(`${heading}\n`);
    assert.ok(start >= 0, `${file}: ${heading}`);
    const next = text.indexOf('\n#', start + heading.length);
    return text.slice(start, next < 0 ? undefined : next);
  };

  test('Firecracker: no PCI bus by default, no passthrough, no GPUs', () => {
    const h = hoverOf('Firecracker');
    assert.match(h, /no VFIO device passthrough/);
    assert.match(h, /no GPUs/);
    assert.match(h, /no \[\[PCI Bus\]\] at all/);
  });

  test('V8 isolate: no syscalls, no filesystem; gVisor: its place on the spectrum', () => {
    assert.match(hoverOf('V8 isolate'), /no syscalls, no native binaries, no host filesystem/);
    assert.match(hoverOf('gVisor'), /between \[\[Container\]\] and \[\[MicroVM\]\] on the \[\[Isolation Spectrum\]\]/);
  });

  test('corrected claims are in the hovers', () => {
    assert.match(hoverOf('NVProxy'), /user-mode driver libraries .* run inside the sandbox unchanged; only the NVIDIA kernel driver is on the host/);
    const gofer = hoverOf('Gofer');
    assert.match(gofer, /directfs, the default since mid-2023/);
    assert.match(gofer, /donates host file descriptors/);
    assert.match(gofer, /Sentry then opens and reads files itself/);
    const systrap = hoverOf('systrap');
    assert.match(systrap, /SIGSYS` in the application's stub thread/);
    assert.match(systrap, /shared memory/);
    assert.match(systrap, /hot `syscall` sites are patched/);
    assert.match(hoverOf('workerd'), /not a hardened sandbox: to run possibly malicious code, run workerd inside a VM-grade sandbox/);
    assert.match(hoverOf('PCI passthrough'), /Supported by \[\[QEMU\]\] and \[\[Cloud Hypervisor\]\]/);
    assert.match(hoverOf('cgroups'), /each carries one or more controllers/);
    assert.match(hoverOf('QEMU'), /^- An open-source/);
    assert.match(section('qemu.md', '# QEMU'), /Driven by libvirt/);
    assert.doesNotMatch(section('qemu.md', '# QEMU'), /Backs libvirt/);
    const kvm = hoverOf('KVM');
    assert.match(kvm, /local APIC, I\/O APIC, PIC\) and the PIT timer/);
    assert.match(kvm, /vhost moves \[\[Virtio\]\] data paths/);
    assert.match(hoverOf('full VM'), /more host code than a \[\[MicroVM\]\]/);
    assert.doesNotMatch(hoverOf('full VM'), /Strongest isolation/);
    assert.match(section('kvm.md', '## KVM Attack Surface'), /narrowed only by its \[\[Seccomp Profile\]\]/);
    assert.match(hoverOf('isolation trade-offs'), /Isolation strength/);
    assert.match(section('isolation-spectrum.md', '## Isolation Trade-offs'), /through the syscalls its \[\[Seccomp Profile\]\] allows/);
    assert.match(section('isolation-spectrum.md', '## Isolation Trade-offs'), /only code that needs its own kernel .* needs a microVM or VM/);
    assert.match(hoverOf('WebAssembly'), /Rust, C and C\+\+ .* Go/);
  });
});
