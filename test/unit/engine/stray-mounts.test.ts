import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mountsUnder } from '../../../engine/lifecycle/stray-mounts';

const info = [
  '22 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '90 22 254:0 /usr/bin/runc /run/x/box-abc123/runc/box-abc123/runc.qcwq3j ro - ext4 /dev/vda rw',
  '91 22 0:5 / /run/x/box-abc123/a\\040b rw - tmpfs tmpfs rw',
  '92 91 0:6 / /run/x/box-abc123/a\\040b/inner rw - tmpfs tmpfs rw',
  '93 22 0:7 / /run/x/box-abc1234 rw - tmpfs tmpfs rw',
  '',
].join('\n');

test('mounts under a runtime folder, deepest first, octal escapes decoded, siblings with a longer name left alone', () => {
  assert.deepEqual(mountsUnder('/run/x/box-abc123', info), [
    '/run/x/box-abc123/runc/box-abc123/runc.qcwq3j',
    '/run/x/box-abc123/a b/inner',
    '/run/x/box-abc123/a b',
  ]);
});

test('garbage lines are ignored', () => {
  assert.deepEqual(mountsUnder('/run/x', 'nonsense\n\n1 2 3\n'), []);
});
