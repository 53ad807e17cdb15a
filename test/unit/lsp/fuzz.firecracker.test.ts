// Robustness of the firecracker service: see fuzzing.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIRECRACKER_SEEDS } from './fixtures/seeds';
import { fuzzKind, PER_KIND } from './fuzzing';
import { FUZZ_DEFAULT_DOCS } from '../../helpers/fuzz-docs';

test(`fuzz: ${PER_KIND} random and mutated firecracker documents through every feature`, async () => {
  assert.equal(await fuzzKind('firecracker', 'vm.firecracker.json', FIRECRACKER_SEEDS), PER_KIND);
  assert.ok(PER_KIND >= FUZZ_DEFAULT_DOCS || process.env.FUZZ_DOCS !== undefined, `at least ${FUZZ_DEFAULT_DOCS} documents unless FUZZ_DOCS narrows a local run`);
});
