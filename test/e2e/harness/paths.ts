// Repository-relative locations the e2e harness uses.
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const fixtureWorkspace = path.join(repoRoot, 'test', 'e2e', 'fixtures', 'workspace');
export const resultsDir = path.join(repoRoot, 'test-results', 'e2e');
