// Custom LSP messages, declared once and imported by both the server and the extension.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** One running sandbox as the code lenses need it. */
export interface RunningSandboxInfo {
  id: string;
  name: string;
  isolation: string;
  /** The spec file's URI, when launched from a spec. */
  specUri?: string;
}

/** Client -> server: the full list of running sandboxes changed (drives Inspect/Tear Down lenses). */
export const RunningSandboxesNotification = new NotificationType<{ sandboxes: RunningSandboxInfo[] }>(
  'isolationSpectrum/runningSandboxes',
);

/** Arguments the code lenses pass to `isolationSpectrum.launch|inspect|tearDown`. */
export interface SandboxCommandArgs {
  uri: string;
  name: string;
}

export { RequestType };
