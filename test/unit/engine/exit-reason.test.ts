// The OOM report matching and the exit reasons (lifecycle/oom.ts, lifecycle/exit-reason.ts), on
// kernel log lines and cgroup files as this machine's kernel writes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { endedAbnormally, isOomReportFor, oomKillCount, oomKillsFromCgroups, oomReason } from '../../../engine/lifecycle/oom';
import { describeExit, endedFields } from '../../../engine/lifecycle/exit-reason';

// Recorded from this host: runc's cgroup nested under the machine's own, and runsc's at the top.
const NESTED = 'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=hog-6e2c7f,mems_allowed=0,oom_memcg=/process_api/a58473b0a1bbca56f252d8528a046a73/hog-6e2c7f,task_memcg=/process_api/a58473b0a1bbca56f252d8528a046a73/hog-6e2c7f,task=tail,pid=1348,uid=0';
const TOP = 'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=hog-8a8590,mems_allowed=0,oom_memcg=/hog-8a8590,task_memcg=/hog-8a8590,task=exe,pid=4561,uid=65534';

test('an OOM report names the sandbox by a whole path component of the cgroup the limit was hit in', () => {
  assert.equal(isOomReportFor(NESTED, 'hog-6e2c7f'), true);
  assert.equal(isOomReportFor(TOP, 'hog-8a8590'), true);
  assert.equal(isOomReportFor(TOP, 'hog-8a859'), false, 'a prefix of another id');
  assert.equal(isOomReportFor(NESTED, 'hog-8a8590'), false);
  // The whole machine out of memory: no memory cgroup of ours was at its limit.
  assert.equal(isOomReportFor('oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/hog-8a8590,task=exe,pid=1,uid=0', 'hog-8a8590'), false);
  assert.equal(isOomReportFor('Memory cgroup out of memory: Killed process 1348 (tail)', 'hog-6e2c7f'), false);
});

test('oom_kill counters from memory.events (v2) and memory.oom_control (v1)', () => {
  assert.equal(oomKillCount('low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n'), 1);
  assert.equal(oomKillCount('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n'), 2);
  assert.equal(oomKillCount('oom_kill_disable 0\nunder_oom 0\n'), 0);
  const root = mkdtempSync(path.join(os.tmpdir(), 'oom-cg-'));
  try {
    mkdirSync(path.join(root, 'memory', 'box-abcdef'), { recursive: true });
    assert.equal(oomKillsFromCgroups('box-abcdef', root), 0);
    writeFileSync(path.join(root, 'memory', 'box-abcdef', 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n');
    assert.equal(oomKillsFromCgroups('box-abcdef', root), 1);
    assert.equal(oomKillsFromCgroups('box-123456', root), 0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('only an abnormal end is looked into, and the reason names the limit in MiB', () => {
  assert.equal(endedAbnormally({ exitCode: 0, signal: null }), false);
  assert.equal(endedAbnormally({ exitCode: 137, signal: null }), true);
  assert.equal(endedAbnormally({ exitCode: null, signal: 'SIGKILL' }), true);
  assert.equal(oomReason(32 * 1024 * 1024), 'killed: out of memory (limit 32 MiB)');
  assert.equal(oomReason(undefined), 'killed: out of memory');
});

test('every ended sandbox gets one exit reason; a running one none', () => {
  assert.equal(describeExit({ exitCode: 3, signal: null }), 'exited with code 3');
  assert.equal(describeExit({ exitCode: null, signal: 'SIGSEGV' }), 'killed by SIGSEGV');
  assert.equal(describeExit({ exitCode: 143, signal: null, stoppedOnRequest: true }), 'stopped on request (exit code 143)');
  assert.equal(describeExit({ exitCode: 1, signal: null, reason: 'timed out after 5000 ms' }), 'timed out after 5000 ms');
  const base = { state: 'exited' as const, monitorPid: 1 };
  assert.deepEqual(endedFields({ ...base, exitCode: 0, exitReason: 'exited with code 0' }, { state: 'exited' }), { exitReason: 'exited with code 0' });
  assert.deepEqual(endedFields({ ...base, exitCode: 137, oomKilled: true, exitReason: 'killed: out of memory (limit 32 MiB)' }, { state: 'exited' }), { exitReason: 'killed: out of memory (limit 32 MiB)', oomKilled: true });
  // Recorded before exit reasons existed: derived from the status.
  assert.deepEqual(endedFields({ ...base, exitCode: 2 }, { state: 'exited' }), { exitReason: 'exited with code 2' });
  assert.deepEqual(endedFields({ ...base, state: 'failed' }, { state: 'failed', reason: 'its monitor died; ps cleans up what is left' }), { exitReason: 'its monitor died; ps cleans up what is left' });
  assert.deepEqual(endedFields({ ...base, state: 'running' }, { state: 'running' }), {});
});
