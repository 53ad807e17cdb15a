// The CLI's glance at a spec before it starts a monitor early (engine/cli/early-monitor.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mayNeedMonitor } from '../../../engine/cli/early-monitor';

let dir: string;
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('early monitor glance', () => {
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-early-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a file of isolates only needs no monitor', () => {
    assert.equal(mayNeedMonitor(file('i.sandbox.yaml', 'name: a\nisolation: isolate\nworker: w.js\n---\nname: b\nisolation: "isolate"\nworker: w.js\n')), false);
  });
  test('any other level in the file needs one', () => {
    assert.equal(mayNeedMonitor(file('m.sandbox.yaml', 'name: a\nisolation: isolate\nworker: w.js\n---\nname: b\nisolation: container\n')), true);
  });
  test('no isolation line, a bundle directory, a missing file: assume one is needed', () => {
    assert.equal(mayNeedMonitor(file('n.sandbox.yaml', 'name: a\nimage: busybox\n')), true);
    mkdirSync(path.join(dir, 'bundle'));
    assert.equal(mayNeedMonitor(path.join(dir, 'bundle')), true);
    assert.equal(mayNeedMonitor(path.join(dir, 'missing.yaml')), true);
  });
});
