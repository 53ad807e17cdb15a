import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatUptime } from '../../../extension/format';

describe('formatUptime', () => {
  test('seconds, minutes, hours', () => {
    assert.equal(formatUptime(0), '0s');
    assert.equal(formatUptime(59_999), '59s');
    assert.equal(formatUptime(61_000), '1m 1s');
    assert.equal(formatUptime(3_600_000 + 120_000), '1h 2m');
  });

  test('unknown or negative uptime shows nothing', () => {
    assert.equal(formatUptime(undefined), '');
    assert.equal(formatUptime(-5), '');
  });
});
