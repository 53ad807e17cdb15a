// The Cluster view's engine side: the argv of every kubectl call (context always named), the
// parsing of `kubectl get pods -o json`, and the real kubectl where no cluster exists (none can
// run on these machines): no context says why; a context that reaches nothing names the context.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { clusterContext, kubectl, listPods } from '../../../engine/export/kubectl';
import { parsePods } from '../../../engine/export/pods';
import { podDescription } from '../../../extension/views/podRows';

/** The shape `kubectl get pods -o json` prints (a v1 List), trimmed to the fields that matter. */
const LIST = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'lab', labels: { 'app.kubernetes.io/managed-by': 'isolation-spectrum', 'isolation-spectrum.dev/isolation': 'gvisor' } },
      spec: { runtimeClassName: 'gvisor', nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx' }] },
      status: { phase: 'Running', startTime: '2026-01-02T03:04:05Z', containerStatuses: [{ name: 'web', restartCount: 2, state: { running: { startedAt: '2026-01-02T03:04:09Z' } } }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'job-abc', namespace: 'default', labels: { 'isolation-spectrum.dev/isolation': 'container' } },
      spec: { containers: [{ name: 'job' }] },
      status: { phase: 'Pending', containerStatuses: [{ name: 'job', restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] },
    },
    { kind: 'Pod', metadata: { name: 'vm-1' }, spec: { runtimeClassName: 'kata-qemu' }, status: { phase: 'Failed', reason: 'Evicted' } },
    { kind: 'Pod', metadata: {}, status: {} },
  ],
  metadata: { resourceVersion: '' },
};

describe('cluster pods', () => {
  test('argv: logs names the context and, when known, the namespace', () => {
    assert.deepEqual(kubectl.logs('lab', 'web', 'team').args, ['--context', 'lab', '--namespace', 'team', 'logs', '--tail', '200', 'pod/web']);
    assert.deepEqual(kubectl.logs('lab', 'web').args, ['--context', 'lab', 'logs', '--tail', '200', 'pod/web']);
    assert.equal(kubectl.pods('lab').args.slice(0, 2).join(' '), '--context lab');
  });

  test('parses name, namespace, phase, RuntimeClass, level label, restarts and the waiting reason', () => {
    const pods = parsePods(JSON.stringify(LIST));
    assert.deepEqual(pods, [
      { name: 'job-abc', namespace: 'default', phase: 'Pending', restarts: 0, isolation: 'container', reason: 'ImagePullBackOff' },
      { name: 'vm-1', namespace: 'default', phase: 'Failed', restarts: 0, runtimeClass: 'kata-qemu', reason: 'Evicted' },
      { name: 'web', namespace: 'lab', phase: 'Running', restarts: 2, runtimeClass: 'gvisor', isolation: 'gvisor', node: 'node-1', startedAt: '2026-01-02T03:04:05Z' },
    ]);
    assert.equal(podDescription(pods[2]), 'Running · RuntimeClass gvisor · 2 restarts');
    assert.equal(podDescription(pods[0]), 'Pending · default runtime · ImagePullBackOff');
  });

  test('an empty list is no pods; output that is not a pod list is a clear error', () => {
    assert.deepEqual(parsePods('{"apiVersion":"v1","kind":"List","items":[]}'), []);
    assert.throws(() => parsePods('No resources found'), /did not print JSON/);
    assert.throws(() => parsePods('{"kind":"Pod"}'), /without an items list/);
  });

  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'spectrum-cluster-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('real kubectl: no kubeconfig means "no cluster context" with its reason', async () => {
    const c = await clusterContext({ KUBECONFIG: path.join(dir, 'absent'), HOME: dir, PATH: process.env.PATH ?? '' });
    assert.ok('reason' in c, JSON.stringify(c));
    assert.match(c.reason, /^no cluster context: .*current-context is not set/);
  });

  test('real kubectl: a context that reaches no cluster fails naming the context', async () => {
    const cfg = path.join(dir, 'config');
    // Port 1 on loopback: nothing listens.
    await writeFile(cfg, [
      'apiVersion: v1', 'kind: Config', 'current-context: lab',
      'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]',
      'contexts: [{ name: lab, context: { cluster: c, user: u } }]',
      'users: [{ name: u, user: { token: unused } }]', '',
    ].join('\n'));
    const env = { KUBECONFIG: cfg, HOME: dir, PATH: process.env.PATH ?? '' };
    assert.deepEqual(await clusterContext(env), { context: 'lab' });
    await assert.rejects(listPods('lab', env), /kubectl get pods in context lab failed: .*(refused|connect)/s);
  });
});
