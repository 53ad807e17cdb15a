// Where the API tests find the fixture workspace (the folder the test window opened).
import * as vscode from 'vscode';

export const EXTENSION_ID = 'isolation-spectrum.isolation-spectrum';

export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test window has no workspace folder (open test/e2e/fixtures/workspace)');
  return vscode.Uri.joinPath(folder.uri, name);
}
