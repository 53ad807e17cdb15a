import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseStart } from '../../../engine/isolates/warm-start';
import { spec } from '../engine/helpers';
import { loadSpecText } from '../../../engine/spec/load';

const isolate = (over = {}) => spec({ isolation: 'isolate', worker: '/w/a.js', command: undefined, image: undefined, ...over });

describe('start: cold | warm | auto', () => {
  test('isolates start warm by default and when asked', () => {
    assert.deepEqual(chooseStart(isolate()), { warm: true });
    assert.deepEqual(chooseStart(isolate({ start: 'warm' })), { warm: true });
  });

  test('start: cold always runs a new runtime process', () => {
    assert.equal(chooseStart(isolate({ start: 'cold' })).warm, false);
  });

  test('auto runs cold, with the reason, where no warm path exists', () => {
    assert.deepEqual(chooseStart(spec()), { warm: false, why: 'no warm start for container yet' });
    assert.equal(chooseStart(isolate({ worker: '/w/a.wasm' })).warm, false);
  });

  test('an asked-for warm start where none exists is refused with the reason and the planned path', () => {
    assert.throws(() => chooseStart(spec({ start: 'warm' })), /not available for container sandboxes yet \(planned: pause\/resume/);
    assert.throws(() => chooseStart(spec({ isolation: 'microvm', start: 'warm' })), /planned: QEMU snapshot restore/);
    assert.throws(() => chooseStart(isolate({ worker: '/w/a.wasm', start: 'warm' })), /needs a JavaScript module worker/);
  });
});

describe('start: in a spec file', () => {
  test('is read into the model, absent stays absent, and an unknown value is an error', () => {
    const text = (v?: string) => `name: e\nisolation: isolate\nworker: ./e.js\n${v ? `start: ${v}\n` : ''}`;
    assert.equal(loadSpecText(text('cold'), '/tmp/e.sandbox.yaml').sandboxes[0].start, 'cold');
    assert.equal('start' in loadSpecText(text(), '/tmp/e.sandbox.yaml').sandboxes[0], false);
    const bad = loadSpecText(text('later'), '/tmp/e.sandbox.yaml');
    assert.ok(bad.diagnostics.some((d) => d.severity === 'error' && /auto|warm|cold/.test(d.message)), JSON.stringify(bad.diagnostics));
  });
});

describe('start: warm in the editor', () => {
  test('on a level without a warm path it is an error with a fix to auto; on an isolate it is fine', () => {
    const d = loadSpecText('name: c\nisolation: container\nimage: busybox\ncommand: [/bin/true]\nstart: warm\n', '/tmp/c.sandbox.yaml').diagnostics.find((x) => x.code === 'no-warm-start');
    assert.ok(d, 'no diagnostic for start: warm on a container');
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.range, { start: { line: 4, character: 7 }, end: { line: 4, character: 11 } });
    assert.equal(d.fixes?.[0].edits[0].newText, 'auto');
    const ok = loadSpecText('name: e\nisolation: isolate\nworker: ./e.js\nstart: warm\n', '/tmp/e.sandbox.yaml').diagnostics;
    assert.ok(!ok.some((x) => x.code === 'no-warm-start'));
  });
});
