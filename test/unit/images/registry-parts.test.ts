import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseChallenge } from '../../../engine/images/challenge';
import { findCredentials } from '../../../engine/images/credentials';
import { splitLayoutSpec } from '../../../engine/images/source';
import { hostPlatform, pickPlatform } from '../../../engine/images/platform';
import { isLoopbackHost, schemeFor } from '../../../engine/images/transport';
import type { Descriptor } from '../../../engine/images/media-types';

describe('registry client parts', () => {
  test('Bearer challenge with a comma inside a quoted scope', () => {
    const c = parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/a:pull,push"');
    assert.deepEqual(c, { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/a:pull,push' } });
  });

  test('Basic challenge and junk', () => {
    assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic', params: { realm: 'Registry Realm' } });
    assert.equal(parseChallenge(''), undefined);
    assert.equal(parseChallenge(null), undefined);
  });

  test('plain HTTP only for loopback or listed registries', () => {
    assert.ok(isLoopbackHost('127.0.0.1:5000'));
    assert.ok(isLoopbackHost('localhost'));
    assert.ok(isLoopbackHost('[::1]:5000'));
    assert.ok(!isLoopbackHost('127.0.0.1.evil.com'));
    assert.equal(schemeFor('ghcr.io', []), 'https');
    assert.equal(schemeFor('10.0.0.5:5000', []), 'https');
    assert.equal(schemeFor('10.0.0.5:5000', ['10.0.0.5:5000']), 'http');
    assert.equal(schemeFor('127.0.0.1:5000', []), 'http');
  });

  test('credentials: REGISTRY_AUTH_FILE first, docker config auths after, Hub under its old URL', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-unit-'));
    try {
      const podman = path.join(dir, 'auth.json');
      writeFileSync(podman, JSON.stringify({ auths: { 'r.example:5000': { auth: Buffer.from('pod:man:colon').toString('base64') } } }));
      mkdirSync(path.join(dir, '.docker'));
      writeFileSync(path.join(dir, '.docker', 'config.json'), JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') }, 'r.example:5000': { username: 'dock', password: 'er' } } }));
      const env = { HOME: dir, REGISTRY_AUTH_FILE: podman };
      assert.deepEqual(findCredentials('r.example:5000', env), { username: 'pod', password: 'man:colon' });
      assert.deepEqual(findCredentials('r.example:5000', { HOME: dir }), { username: 'dock', password: 'er' });
      assert.deepEqual(findCredentials('docker.io', env), { username: 'hub', password: 'pw' });
      assert.equal(findCredentials('other.example', env), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an index resolves to the host platform, or says what it offers', () => {
    const d = (architecture: string, variant?: string): Descriptor => ({ mediaType: 'm', digest: `sha256:${architecture}${variant ?? ''}`, size: 1, platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) } });
    const list = [{ mediaType: 'm', digest: 'sha256:att', size: 1 }, d('arm', 'v6'), d('arm', 'v7'), d('amd64'), d('arm64', 'v8')];
    assert.equal(pickPlatform(list, hostPlatform('x64')).digest, 'sha256:amd64');
    assert.equal(pickPlatform(list, hostPlatform('arm')).digest, 'sha256:armv7');
    assert.equal(pickPlatform(list, hostPlatform('arm64')).digest, 'sha256:arm64v8');
    assert.throws(() => pickPlatform([d('s390x')], hostPlatform('x64')), /no linux\/amd64 variant \(it offers: linux\/s390x\)/);
  });

  test('oci-layout PATH[:TAG]', () => {
    assert.deepEqual(splitLayoutSpec('/a/b:v1'), { dir: '/a/b', tag: 'v1' });
    assert.deepEqual(splitLayoutSpec('/a/b'), { dir: '/a/b' });
    assert.deepEqual(splitLayoutSpec('/a:b/c'), { dir: '/a:b/c' });
  });
});

