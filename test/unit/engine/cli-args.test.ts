import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, parseDuration } from '../../../engine/cli/args';
import { formatPs } from '../../../engine/cli/format';

describe('spectrum argument parsing', () => {
  test('command, positionals, valued and switch flags', () => {
    assert.deepEqual(parseArgs(['up', 'a.sandbox.yaml', '--name', 'web', '--json']), { command: 'up', positionals: ['a.sandbox.yaml'], flags: { name: 'web', json: true }, rest: [] });
    assert.deepEqual(parseArgs(['up', '--name=web', 'f']).flags, { name: 'web' });
  });
  test('everything after -- is the command to exec, flags included', () => {
    const a = parseArgs(['exec', 'web', '--', 'ls', '-la', '--json']);
    assert.deepEqual(a.positionals, ['web']);
    assert.deepEqual(a.rest, ['ls', '-la', '--json']);
    assert.equal(a.flags.json, undefined);
  });
  test('short flags', () => {
    assert.equal(parseArgs(['logs', 'x', '-f']).flags.follow, true);
  });
  test('a valued flag without value is an error', () => {
    assert.throws(() => parseArgs(['up', 'f', '--name']), /--name needs a value/);
  });
  test('durations', () => {
    assert.equal(parseDuration('30s'), 30000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('2m'), 120000);
    assert.equal(parseDuration('3'), 3000);
    assert.throws(() => parseDuration('soon'));
  });
  test('ps table', () => {
    const t = formatPs([{ id: 'a-123456', name: 'a', owner: 'cli', isolation: 'container', runtime: 'runc', state: 'exited', exitCode: 3, network: 'none', logPath: '/l', uptimeMs: 65000 }]);
    assert.match(t, /a-123456\s+a\s+container\s+runc\s+exited\(3\)\s+-\s+1m5s\s+cli/);
  });
});
