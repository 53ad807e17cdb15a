// FUZZ_DOCS may narrow a fuzz run, never empty it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FUZZ_DEFAULT_DOCS, fuzzDocs } from '../../helpers/fuzz-docs';

test('unset: the full run; a positive whole number: that many documents', () => {
  assert.equal(fuzzDocs(undefined), FUZZ_DEFAULT_DOCS);
  assert.equal(fuzzDocs('250'), 250);
});

test('zero, empty, negative, fractional or not a number: an error naming the value', () => {
  for (const bad of ['0', '', ' ', '-5', '2.5', 'abc', '1e3', 'NaN']) {
    assert.throws(() => fuzzDocs(bad), (e: Error) => e.message === `FUZZ_DOCS must be a positive whole number of documents, not ${JSON.stringify(bad)}`, bad);
  }
});
