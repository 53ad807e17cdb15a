import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SandboxInfo } from '../../../engine/api';
import { publishedPort } from '../../../engine/lifecycle/published-ports';
import { parsePort } from '../../../engine/spec/ports';
import type { PortSpec } from '../../../engine/spec/types';
import { browserUrl, portArgUrl, portLabel, publishedPortsOf } from '../../../extension/views/portLinks';

const port = (entry: string) => publishedPort(parsePort(entry) as PortSpec);

function sandbox(over: Partial<SandboxInfo>): SandboxInfo {
  return { id: 'web-abc123', name: 'web', owner: 'cli', isolation: 'container', runtime: 'runc', state: 'running', network: 'outbound', ...over } as SandboxInfo;
}

describe('publishedPort (what inspect lists)', () => {
  test('TCP gets a URL on its host address; UDP gets none', () => {
    assert.deepEqual(port('8080:80'), { hostAddress: '127.0.0.1', hostPort: 8080, sandboxPort: 80, protocol: 'tcp', url: 'http://127.0.0.1:8080/' });
    assert.deepEqual(port('127.0.0.1:5353:53/udp'), { hostAddress: '127.0.0.1', hostPort: 5353, sandboxPort: 53, protocol: 'udp' });
  });

  test('a wildcard bind is opened through loopback, and still says it binds everything', () => {
    const p = port('0.0.0.0:9000:90');
    assert.equal(p.hostAddress, '0.0.0.0');
    assert.equal(p.url, 'http://127.0.0.1:9000/');
  });
});

describe('the Sandboxes view ports', () => {
  const ports = [port('8080:80'), port('127.0.0.1:5353:53/udp')];

  test('a running sandbox lists its ports, labelled', () => {
    const s = sandbox({ extra: { publishedPorts: ports } });
    assert.deepEqual(publishedPortsOf(s).map(portLabel), ['127.0.0.1:8080 → 80/tcp', '127.0.0.1:5353 → 53/udp']);
    assert.equal(browserUrl(s), 'http://127.0.0.1:8080/');
  });

  test('a stopped sandbox, or one without ports, lists none and has nothing to open', () => {
    assert.deepEqual(publishedPortsOf(sandbox({ state: 'exited', extra: { publishedPorts: ports } })), []);
    assert.equal(browserUrl(sandbox({ state: 'exited', extra: { publishedPorts: ports } })), undefined);
    assert.deepEqual(publishedPortsOf(sandbox({})), []);
    assert.equal(browserUrl(sandbox({ extra: { publishedPorts: [port('5353:53/udp')] } })), undefined);
  });

  test('malformed entries from disk are left out, and no non-HTTP URL gets through', () => {
    const bad = [{ hostAddress: '127.0.0.1', hostPort: '80', sandboxPort: 80, protocol: 'tcp' }, null, 'x', { ...ports[0], url: 'javascript:alert(1)' }, ports[0]];
    assert.deepEqual(publishedPortsOf(sandbox({ extra: { publishedPorts: bad } })), [ports[0]]);
    assert.deepEqual(publishedPortsOf(sandbox({ extra: { publishedPorts: 'nope' } })), []);
  });

  test("an isolate's own URL comes first", () => {
    assert.equal(browserUrl(sandbox({ isolation: 'isolate', url: 'http://127.0.0.1:7001/', extra: { publishedPorts: ports } })), 'http://127.0.0.1:7001/');
  });

  test('a port item handed back to Open in Browser gives its URL; anything else gives none', () => {
    const s = sandbox({ extra: { publishedPorts: ports } });
    assert.equal(portArgUrl({ kind: 'port', sandbox: s, port: ports[0] }), 'http://127.0.0.1:8080/');
    assert.equal(portArgUrl({ kind: 'port', sandbox: s, port: ports[1] }), undefined);
    assert.equal(portArgUrl({ kind: 'sandbox', sandbox: s }), undefined);
    assert.equal(portArgUrl('web-abc123'), undefined);
    assert.equal(portArgUrl({ kind: 'port', port: { ...ports[0], url: 'file:///etc/passwd' } }), undefined);
  });
});
