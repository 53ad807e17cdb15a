import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { familiarReference, formatReference, parseReference } from '../../../engine/images/reference';
import { classifyImage } from '../../../engine/images/source';

const D = `sha256:${'a'.repeat(64)}`;

describe('image references (Docker normalisation)', () => {
  const cases: [string, string][] = [
    ['alpine', 'docker.io/library/alpine:latest'],
    ['alpine:3.20', 'docker.io/library/alpine:3.20'],
    ['python:3.12-slim', 'docker.io/library/python:3.12-slim'],
    ['docker.io/library/python:3.12-slim', 'docker.io/library/python:3.12-slim'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest'],
    ['team/app', 'docker.io/team/app:latest'],
    ['ghcr.io/o/r:1', 'ghcr.io/o/r:1'],
    [`ghcr.io/o/r@${D}`, `ghcr.io/o/r@${D}`],
    [`nginx:1.27@${D}`, `docker.io/library/nginx:1.27@${D}`],
    ['127.0.0.1:5000/team/app:1', '127.0.0.1:5000/team/app:1'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['[::1]:5000/app:v2', '[::1]:5000/app:v2'],
    ['a.b-c/e__f/g--h.i', 'a.b-c/e__f/g--h.i:latest'],
  ];
  for (const [input, want] of cases) {
    test(`${input} -> ${want}`, () => assert.equal(formatReference(parseReference(input)), want));
  }

  test('the familiar form drops what Docker adds', () => {
    assert.equal(familiarReference(parseReference('docker.io/library/alpine:3.20')), 'alpine:3.20');
    assert.equal(familiarReference(parseReference('team/app')), 'team/app:latest');
    assert.equal(familiarReference(parseReference('127.0.0.1:5000/x:1')), '127.0.0.1:5000/x:1');
  });

  test('a port is not a tag, a digest keeps no default tag', () => {
    const r = parseReference('127.0.0.1:5000/app');
    assert.equal(r.registry, '127.0.0.1:5000');
    assert.equal(r.tag, 'latest');
    const d = parseReference(`app@${D}`);
    assert.equal(d.tag, undefined);
    assert.equal(d.digest, D);
  });

  const invalid: [string, RegExp][] = [
    ['', /empty/],
    [' alpine', /spaces/],
    ['Alpine', /lowercase/],
    ['docker.io/Team/app', /lowercase/],
    ['alpine:', /tag/],
    ['alpine:-x', /tag/],
    ['app@sha256:abc', /digest/],
    ['app@md5:' + 'a'.repeat(32), /digest/],
    ['a//b', /empty/],
    ['a/-b', /component/],
    ['bad_host:5000:x/y', /not a valid/],
    [`${'a'.repeat(256)}`, /longer/],
  ];
  for (const [input, why] of invalid) {
    test(`refuses ${JSON.stringify(input.slice(0, 40))}`, () => assert.throws(() => parseReference(input), why));
  }

  test('image values are classified by form', () => {
    assert.deepEqual(classifyImage('busybox'), { kind: 'busybox' });
    assert.deepEqual(classifyImage('/srv/rootfs'), { kind: 'directory', path: '/srv/rootfs' });
    assert.deepEqual(classifyImage('oci-layout:/x/y:1'), { kind: 'oci-layout', spec: '/x/y:1' });
    assert.deepEqual(classifyImage('docker-archive:/x/a.tar'), { kind: 'docker-archive', path: '/x/a.tar' });
    assert.deepEqual(classifyImage('alpine:3'), { kind: 'reference', reference: 'alpine:3' });
  });
});
