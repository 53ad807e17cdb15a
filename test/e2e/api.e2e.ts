// The extension API tests (test/e2e/api), run inside real VS Code (code-server) against the
// repository's build. Each in-VS-Code test becomes its own node:test here, so the tier counts
// them one by one.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { runApiTests } from './harness/apiTests';
import { tierServer } from './harness/server';

describe('extension API tests in code-server', async () => {
  // The suite body may be async: node:test registers the tests below once the run is over.
  const server = await tierServer();
  after(() => server.release());
  const run = await runApiTests({ origin: server.origin, folder: server.workspace });
  const tail = () => run.log.slice(-30).join('\n');

  test('the extension host ran the tests and exited with 0', () => {
    assert.ok(run.results.length > 0, `no test results came back:\n${tail()}`);
    assert.equal(run.exitCode, 0, `extension host exit: ${run.exitCode}\n${tail()}`);
  });

  for (const r of run.results) {
    test(`[in VS Code] ${r.suite} > ${r.name}`, () => {
      assert.ok(r.ok, r.error);
    });
  }
});
