// network: and ports: in a spec: the model the engine gets, and the diagnostics the editor shows.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkSpecText } from '../../../engine/spec/check';
import { buildSandbox } from '../../../engine/spec/model';
import { parsePort } from '../../../engine/spec/ports';
import type { SpecDiagnostic } from '../../../engine/spec/types';
import { applyEdits } from '../spec/edits';

const diags = (text: string): SpecDiagnostic[] => checkSpecText(text).diagnostics;
const codes = (text: string): string[] => diags(text).map((d) => d.code);
const model = (text: string) => {
  const c = checkSpecText(text);
  assert.deepEqual(c.diagnostics.filter((d) => d.severity === 'error'), []);
  const spec = buildSandbox(c.documents[0].root, '/specs/x.sandbox.yaml', 0);
  assert.ok(spec);
  return spec;
};
const base = 'name: s\nisolation: container\nimage: busybox\n';

describe('ports: entries', () => {
  test('host address defaults to 127.0.0.1, protocol to tcp', () => {
    assert.deepEqual(parsePort('8080:80'), { hostAddress: '127.0.0.1', hostPort: 8080, sandboxPort: 80, protocol: 'tcp' });
    assert.deepEqual(parsePort('127.0.0.2:5353:53/udp'), { hostAddress: '127.0.0.2', hostPort: 5353, sandboxPort: 53, protocol: 'udp' });
    assert.deepEqual(parsePort('0.0.0.0:80:80/tcp'), { hostAddress: '0.0.0.0', hostPort: 80, sandboxPort: 80, protocol: 'tcp' });
  });
  test('malformed entries and out-of-range ports are refused with a sentence', () => {
    for (const bad of ['80', '8080:80/sctp', 'localhost:80:80', '256.1.1.1:1:1', ':80', '80:80:80', '1:2 ']) {
      assert.equal(typeof parsePort(bad), 'string', bad);
    }
    assert.match(String(parsePort('70000:80')), /host port 70000 is outside 1-65535/);
    assert.match(String(parsePort('80:0')), /sandbox port 0 is outside/);
  });
});

describe('network: and ports: in the model', () => {
  test('plain mode, no ports: nothing extra in the spec', () => {
    const s = model(`${base}network: outbound\n`);
    assert.equal(s.network, 'outbound');
    assert.equal('hostLoopback' in s, false);
    assert.equal('ports' in s, false);
    assert.equal(model(base).network, 'none');
  });
  test('object form with hostLoopback, and ports', () => {
    const s = model(`${base}network: { mode: outbound, hostLoopback: true }\nports: ["8080:80", "127.0.0.1:5353:53/udp"]\n`);
    assert.equal(s.network, 'outbound');
    assert.equal(s.hostLoopback, true);
    assert.deepEqual(s.ports, [
      { hostAddress: '127.0.0.1', hostPort: 8080, sandboxPort: 80, protocol: 'tcp' },
      { hostAddress: '127.0.0.1', hostPort: 5353, sandboxPort: 53, protocol: 'udp' },
    ]);
    const off = model(`${base}network:\n  mode: outbound\n  hostLoopback: false\n`);
    assert.equal(off.network, 'outbound');
    assert.equal('hostLoopback' in off, false);
  });
});

describe('network: and ports: diagnostics', () => {
  test('valid forms have no diagnostics', () => {
    assert.deepEqual(codes(`${base}network: outbound\nports: ["8080:80", "127.0.0.1:5353:53/udp"]\n`), []);
    assert.deepEqual(codes(`${base}network: { mode: outbound, hostLoopback: true }\n`), []);
    assert.deepEqual(codes(`${base}network: none\n`), []);
  });
  test('schema: unknown mode, unknown object key, missing mode, malformed port', () => {
    assert.ok(diags(`${base}network: bridge\n`).some((d) => d.severity === 'error'));
    assert.ok(diags(`${base}network: { mode: outbound, loopback: true }\n`).some((d) => d.severity === 'error'));
    assert.ok(diags(`${base}network: { hostLoopback: true }\n`).some((d) => d.severity === 'error'));
    const bad = diags(`${base}network: outbound\nports: ["localhost:80:80"]\n`);
    assert.ok(bad.some((d) => d.severity === 'error' && d.range.start.line === 4), JSON.stringify(bad));
  });
  test('a port out of range is an error on that entry', () => {
    const d = diags(`${base}network: outbound\nports: ["8080:80", "99999:80"]\n`);
    assert.deepEqual(d.map((x) => x.code), ['bad-port']);
    assert.equal(d[0].range.start.line, 4);
    assert.equal(d[0].range.start.character, 19);
  });
  test('0.0.0.0 is a warning with a fix to 127.0.0.1', () => {
    const text = `${base}network: outbound\nports: ["0.0.0.0:8080:80"]\n`;
    const d = diags(text);
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['port-all-addresses', 'warning']]);
    const fixed = applyEdits(text, d[0].fixes![0].edits);
    assert.equal(fixed, `${base}network: outbound\nports: ["127.0.0.1:8080:80"]\n`);
    assert.deepEqual(codes(fixed), []);
  });
  test('ports without network: outbound are an error; the fix sets outbound', () => {
    const text = `${base}network: none\nports: ["8080:80"]\n`;
    const d = diags(text);
    assert.deepEqual(d.map((x) => x.code), ['ports-need-network']);
    assert.deepEqual(codes(applyEdits(text, d[0].fixes![0].edits)), []);
    assert.deepEqual(codes(`${base}ports: ["8080:80"]\n`), ['ports-need-network']);
    assert.deepEqual(codes(`${base}network: host\nports: ["8080:80"]\n`).sort(), ['network-host', 'ports-need-network']);
  });
  test('the same host port twice is an error; tcp and udp on one port are fine', () => {
    assert.deepEqual(codes(`${base}network: outbound\nports: ["8080:80", "8080:81"]\n`), ['duplicate-port']);
    assert.deepEqual(codes(`${base}network: outbound\nports: ["8080:80", "8080:80/udp", "127.0.0.2:8080:80"]\n`), []);
  });
  test('network host in the object form is warned too; hostLoopback without outbound has no effect', () => {
    assert.deepEqual(codes(`${base}network: { mode: host }\n`), ['network-host']);
    assert.deepEqual(codes(`${base}network: { mode: none, hostLoopback: true }\n`), ['host-loopback-unused']);
  });
});
