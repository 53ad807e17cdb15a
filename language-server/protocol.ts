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

/** One concept of the notes index, as the preview plugin needs it (links and tooltips). */
export interface ConceptSummary {
  name: string;
  aliases: string[];
  /** The note's URI and the 0-based line of the concept's heading. */
  uri: string;
  line: number;
  /** Opening lines of the concept, Markdown. */
  summary: string;
  /** Whether plain-text mentions get a tooltip (built-in, has aliases, or some link targets it). */
  hoverable: boolean;
}

/**
 * Server -> client: the workspace's concepts changed (built-in ones the client reads itself).
 * `full` replaces everything the client holds; otherwise only the listed notes are replaced
 * (an empty `concepts` list removes a note).
 */
export interface ConceptIndexParams {
  full: boolean;
  notes: Array<{ uri: string; concepts: ConceptSummary[] }>;
}
export const ConceptIndexNotification = new NotificationType<ConceptIndexParams>('isolationSpectrum/conceptIndex');

/** Command the live-block code lenses call. */
export const RUN_BLOCK_COMMAND = 'isolationSpectrum.runBlock';

/** Arguments of `isolationSpectrum.runBlock`: one fenced block of a note and where to run it. */
export interface RunBlockArgs {
  uri: string;
  /** 0-based line of the opening fence. */
  line: number;
  language: 'sh' | 'js';
  code: string;
  /** The levels named by the block, or every level the host supports. */
  levels: string[] | 'all';
}

export { RequestType };
