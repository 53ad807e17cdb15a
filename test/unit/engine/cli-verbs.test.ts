// The CLI's verb table and its help stay in step: every verb the help lists loads a module that
// runs it, and every verb in the table is in the help. New verbs (pull, images, cp...) are added
// as a file in engine/cli/verbs/ plus a line in each; this catches a missing one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HELP } from '../../../engine/cli/help';
import { VERBS } from '../../../engine/cli/verbs';

const helpVerbs = (): string[] => {
  const commands = HELP.slice(HELP.indexOf('Commands:'), HELP.indexOf('Exit codes:'));
  // A line may name two verbs (`pause <id>... / resume <id>...`) and a verb may take two lines.
  const named = [...commands.matchAll(/^ {2}([a-z][a-z-]*)\b|\/ ([a-z][a-z-]*) </gm)].map((m) => m[1] ?? m[2]);
  return [...new Set(named)];
};

describe('spectrum verbs', () => {
  test('the help and the verb table name the same verbs', () => {
    assert.deepEqual(helpVerbs().sort(), Object.keys(VERBS).sort());
  });

  test('each verb module loads and exports its run function', async () => {
    for (const [name, load] of Object.entries(VERBS)) {
      const m = await load();
      assert.equal(typeof m.run, 'function', `${name} exports run`);
    }
  });
});
