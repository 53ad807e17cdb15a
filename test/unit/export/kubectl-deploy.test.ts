// The deploy layer's argv, and the real kubectl against kubeconfigs that reach no cluster: the
// current context is read offline, and a failed apply names the context it was for.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyToContext, currentContext, kubectl } from '../../../engine/export/kubectl';

describe('kubectl deploy layer', () => {
  test('argv: the context named in every cluster command, files as -f pairs', () => {
    assert.deepEqual(kubectl.currentContext().args, ['config', 'current-context']);
    assert.deepEqual(kubectl.apply('lab', ['/a.k8s.yaml', '/b c.yaml']).args, ['--context', 'lab', 'apply', '-f', '/a.k8s.yaml', '-f', '/b c.yaml']);
    assert.deepEqual(kubectl.pods('lab').args, ['--context', 'lab', 'get', 'pods', '-l', 'app.kubernetes.io/managed-by=isolation-spectrum', '-o', 'json']);
    assert.deepEqual(kubectl.logs('lab', 'web').args, ['--context', 'lab', 'logs', '--tail', '200', 'pod/web']);
  });

  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'spectrum-kubeconfig-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('current context: read from the kubeconfig; none without one', async () => {
    const cfg = path.join(dir, 'config');
    // Port 1 on loopback: nothing listens, so nothing can be deployed anywhere.
    await writeFile(cfg, [
      'apiVersion: v1', 'kind: Config', 'current-context: lab',
      'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]',
      'contexts: [{ name: lab, context: { cluster: c, user: u } }]',
      'users: [{ name: u, user: { token: unused } }]', '',
    ].join('\n'));
    assert.equal(await currentContext({ KUBECONFIG: cfg }), 'lab');
    assert.equal(await currentContext({ KUBECONFIG: path.join(dir, 'absent') }), undefined);
    const manifest = path.join(dir, 'x.yaml');
    await writeFile(manifest, 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n');
    await assert.rejects(applyToContext('lab', [manifest], { KUBECONFIG: cfg }), /kubectl apply to context lab failed: .*(refused|connect)/s);
  });
});
