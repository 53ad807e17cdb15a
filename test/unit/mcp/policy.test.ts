// The agent policy: parsing (defaults, every setting, each bad value reported at its own text),
// and a create request measured against it (every refusal names the setting that refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY, parsePolicy, policyErrors } from '../../../engine/mcp/policy';
import { planCreate } from '../../../engine/mcp/policy-check';
import { imageAllowed } from '../../../engine/mcp/image-glob';

const FILE = '/ws/.spectrum/agent-policy.yaml';

test('no settings: the safe defaults (gvisor or stronger, no network, 3 sandboxes, 30 min, 512 MiB)', () => {
  for (const text of ['', '# nothing yet\n']) {
    const p = parsePolicy(text);
    assert.deepEqual(p.problems, []);
    assert.deepEqual(p.policy, DEFAULT_POLICY);
  }
  assert.equal(DEFAULT_POLICY.minLevel, 'gvisor');
  assert.deepEqual(DEFAULT_POLICY.network, ['none']);
  assert.equal(DEFAULT_POLICY.maxSandboxes, 3);
  assert.equal(DEFAULT_POLICY.maxLifetimeMs, 30 * 60_000);
  assert.equal(DEFAULT_POLICY.maxMemoryBytes, 512 * 1024 * 1024);
});

test('every setting parsed', () => {
  const p = parsePolicy('minLevel: container\nimages: [busybox, "python:*"]\nnetwork: [outbound]\nports: true\nmaxSandboxes: 5\nmaxLifetime: 2h\nmaxMemory: 1Gi\nmaxCpus: 2\n');
  assert.deepEqual(p.problems, []);
  assert.deepEqual(p.policy, { minLevel: 'container', images: ['busybox', 'python:*'], network: ['none', 'outbound'], ports: true, maxSandboxes: 5, maxLifetimeMs: 7_200_000, maxMemoryBytes: 1024 ** 3, maxCpus: 2 });
});

test('bad values: one error each, at the value, and the defaults kept for them', () => {
  const text = 'minLevel: isolate\nnetwork: [none, everything]\nmaxSandboxes: -1\nmaxLifetime: forever\nmaxMemory: 1Mi\nports: yes please\ncolour: blue\n';
  const p = parsePolicy(text);
  const at = (msg: RegExp) => {
    const pr = p.problems.find((x) => msg.test(x.message));
    assert.ok(pr, `no problem matching ${msg}: ${JSON.stringify(p.problems)}`);
    return text.slice(pr.start, pr.end);
  };
  assert.equal(at(/minLevel must be one of container, gvisor, microvm, vm/), 'isolate');
  assert.equal(at(/network must be a list/), 'everything');
  assert.equal(at(/maxSandboxes must be a whole number/), '-1');
  assert.equal(at(/maxLifetime must be a duration/), 'forever');
  assert.equal(at(/maxMemory must be a size of at least 16Mi/), '1Mi');
  assert.equal(at(/ports must be true or false/), 'yes please');
  assert.equal(at(/Unknown setting 'colour'/), 'colour');
  assert.equal(p.problems.length, 7);
  assert.deepEqual(p.policy, DEFAULT_POLICY);
  assert.match(policyErrors(p, FILE)!, /agent policy \/ws\/.spectrum\/agent-policy.yaml is invalid/);
});

test('network: host is allowed with a warning; YAML syntax errors and a non-mapping are errors', () => {
  const host = parsePolicy('network: [host]\n');
  assert.deepEqual(host.problems.map((x) => x.severity), ['warning']);
  assert.equal(policyErrors(host, FILE), undefined);
  assert.equal(parsePolicy('minLevel: [gvisor\n').problems[0].severity, 'error');
  assert.match(parsePolicy('- a\n- b\n').problems[0].message, /a mapping of settings/);
  assert.match(parsePolicy('maxSandboxes: 1\nmaxSandboxes: 2\n').problems[0].message, /unique/i);
});

test('image patterns: * within a segment, ** across; host paths only by a pattern of their own form', () => {
  assert.ok(imageAllowed('python:3.12-slim', ['python:*']));
  assert.ok(!imageAllowed('ghcr.io/x/python:3', ['python:*']));
  assert.ok(imageAllowed('ghcr.io/x/python:3', ['**']));
  assert.ok(imageAllowed('busybox', ['**']));
  assert.ok(!imageAllowed('oci-layout:/srv/img:tiny', ['**']));
  assert.ok(!imageAllowed('/srv/rootfs', ['**']));
  assert.ok(imageAllowed('oci-layout:/srv/img:tiny', ['oci-layout:/srv/**']));
  assert.ok(!imageAllowed('docker-archive:/srv/img.tar', ['oci-layout:/srv/**']));
  assert.ok(!imageAllowed('oci-layout:/srv/img:tiny', ['/srv/**']));
});

const policy = (over = {}) => ({ ...DEFAULT_POLICY, ...over });
const plan = (req: Parameters<typeof planCreate>[0], over = {}, live = 0) => planCreate(req, policy(over), { policyFile: FILE, live });

test('a request within the policy: the spec has its defaults (weakest allowed level, busybox, no network, read-only root, max memory, lifetime)', () => {
  const { spec, lifetimeMs } = plan({});
  assert.equal(spec.isolation, 'gvisor');
  assert.equal(spec.image, 'busybox');
  assert.equal(spec.network, 'none');
  assert.equal(spec.readonly, true);
  assert.equal(spec.resources.memoryBytes, 512 * 1024 * 1024);
  assert.equal(spec.timeoutMs, 30 * 60_000);
  assert.equal(lifetimeMs, 30 * 60_000);
  assert.deepEqual(spec.command?.slice(0, 2), ['/bin/sh', '-c']);
  assert.deepEqual(plan({ image: 'python:3' }).spec.entrypoint?.slice(0, 2), ['/bin/sh', '-c']);
  const vm = plan({ level: 'microvm', memory: '256Mi', writable_root: true, name: 'x' });
  assert.deepEqual([vm.spec.isolation, vm.spec.resources.memoryBytes, vm.spec.readonly, vm.spec.name], ['microvm', 256 * 1024 * 1024, false, 'x']);
});

test('refusals name the setting: level, count, image, network, ports, memory, cpus', () => {
  const refused = (req: Parameters<typeof planCreate>[0], over: object, why: RegExp, live = 0) => assert.throws(() => plan(req, over, live), (e: Error) => (assert.match(e.message, why), true));
  refused({ level: 'container' }, {}, /level container is weaker than minLevel gvisor \(\/ws\/.spectrum\/agent-policy.yaml\); allowed: gvisor, microvm, vm/);
  refused({}, {}, /already has 3 sandboxes, the most maxSandboxes allows/, 3);
  refused({}, { maxSandboxes: 0 }, /already has 0 sandboxes/);
  refused({ image: 'python:3' }, { images: ['busybox'] }, /image python:3 matches none of images: \[busybox\]/);
  refused({ image: 'oci-layout:/srv/../etc:x' }, { images: ['oci-layout:/srv/**'] }, /not absolute and normalised/);
  refused({ image: 'oci-layout:srv/img' }, { images: ['oci-layout:**'] }, /not absolute/);
  refused({ network: 'outbound' }, {}, /network outbound is off: network lists only \[none\]/);
  refused({ network: 'host' }, { network: ['none', 'outbound'] }, /network host is off/);
  refused({ ports: ['8080:80'] }, {}, /publishing ports is off \(ports: false\)/);
  refused({ ports: ['0.0.0.0:8080:80'] }, { ports: true }, /binds 0.0.0.0: agents publish on 127.0.0.1 only/);
  refused({ memory: '1Gi' }, {}, /memory 1Gi is above maxMemory 512Mi/);
  refused({ cpus: 4 }, {}, /cpus 4 is above maxCpus 1/);
  refused({ level: 'vm', memory: '64Mi' }, {}, /a vm guest needs at least 128Mi/);
  assert.equal(plan({ network: 'outbound', ports: ['8080:80'] }, { network: ['none', 'outbound'], ports: true }).spec.ports?.[0].hostPort, 8080);
});
