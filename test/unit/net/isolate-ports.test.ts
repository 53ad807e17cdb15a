import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isolatePortsStart, workerdConfig } from '../../../engine/drivers/workerd';
import { EngineError } from '../../../engine/errors';
import { parsePort } from '../../../engine/spec/ports';
import type { PortSpec } from '../../../engine/spec/types';
import { spec } from '../engine/helpers';

const ports = (...entries: string[]) => entries.map((e) => parsePort(e) as PortSpec);

describe('ports: on an isolate', () => {
  test('each TCP entry is one more HTTP socket on its host address and port', () => {
    const c = workerdConfig(spec({ isolation: 'isolate', ports: ports('8080:80', '0.0.0.0:9090:80') }), { port: 4321, moduleName: 'w.js' });
    assert.match(c, /sockets = \[\(name = "http", address = "127\.0\.0\.1:4321", http = \(\), service = "main"\), \(name = "port0", address = "127\.0\.0\.1:8080", http = \(\), service = "main"\), \(name = "port1", address = "0\.0\.0\.0:9090", http = \(\), service = "main"\)\]/);
  });

  test('without ports: only the readiness socket', () => {
    const c = workerdConfig(spec({ isolation: 'isolate' }), { port: 4321, moduleName: 'w.js' });
    assert.doesNotMatch(c, /name = "port0"/);
  });

  test('runs cold, and says why', () => {
    assert.deepEqual(isolatePortsStart(spec({ isolation: 'isolate', ports: ports('8080:80') })), { warm: false, why: "ports: are sockets of the worker's own workerd" });
  });

  test('start: warm and UDP are refused', () => {
    assert.throws(() => isolatePortsStart(spec({ isolation: 'isolate', start: 'warm', ports: ports('8080:80') })), (e: Error) => e instanceof EngineError && /start: warm/.test(e.message));
    assert.throws(() => isolatePortsStart(spec({ isolation: 'isolate', ports: ports('8080:80', '5353:53/udp') })), (e: Error) => e instanceof EngineError && /127\.0\.0\.1:5353->53\/udp/.test(e.message));
  });
});
