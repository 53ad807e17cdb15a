// The extension's side of `--unsafe`: when the engine refuses a launch because it asks for
// privileges (a bundle's hooks or capabilities, a writable mount of /etc, network: host...), a
// modal names each one and launches only if the user says so.
import * as vscode from 'vscode';

export { privilegesOf } from '../privilegeLines';

export const LAUNCH_ANYWAY = 'Launch Anyway';

/** Asks, in a modal, whether to launch `label` with these privileges. */
export async function confirmPrivileges(label: string, privileges: string[]): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(
    `${label} asks for ${privileges.length === 1 ? 'a privilege' : `${privileges.length} privileges`} that weaken its sandbox. Launch it anyway?`,
    { modal: true, detail: privileges.map((p) => `• ${p}`).join('\n') },
    LAUNCH_ANYWAY,
  );
  return choice === LAUNCH_ANYWAY;
}
