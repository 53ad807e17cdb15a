import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAptDepends, releaseOfPackage } from '../../../engine/vm/kernel-package';

describe('Debian guest kernel package', () => {
  test('reads the versioned package linux-image-amd64 depends on', () => {
    const out = 'linux-image-amd64\n  Depends: linux-image-6.1.0-56-amd64\n';
    assert.equal(parseAptDepends(out), 'linux-image-6.1.0-56-amd64');
    assert.equal(releaseOfPackage('linux-image-6.1.0-56-amd64'), '6.1.0-56-amd64');
  });

  test('gives nothing when apt knows no candidate', () => {
    assert.equal(parseAptDepends('linux-image-amd64\n'), undefined);
  });
});
