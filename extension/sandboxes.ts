// The window's picture of every known sandbox (from any window or the CLI). It refreshes on the
// engine's change events (fs.watch on the state directory), never by polling.
import * as vscode from 'vscode';
import type { Engine, SandboxInfo } from '../engine/api';

const COALESCE_MS = 100;

/** Created by an agent (the MCP server or the language-model tools): the view groups these under Agent. */
export const isAgentSandbox = (s: SandboxInfo): boolean => s.owner.startsWith('agent:');

export class SandboxesModel implements vscode.Disposable {
  private list: SandboxInfo[] = [];
  private readonly emitter = new vscode.EventEmitter<SandboxInfo[]>();
  private readonly subscription: { dispose(): void };
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly engine: Engine,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = engine.onDidChange(() => this.schedule());
  }

  get all(): readonly SandboxInfo[] {
    return this.list;
  }

  get running(): SandboxInfo[] {
    return this.list.filter((s) => s.state === 'running' || s.state === 'starting');
  }

  find(idOrName: string): SandboxInfo | undefined {
    return this.list.find((s) => s.id === idOrName) ?? this.list.find((s) => s.name === idOrName);
  }

  /** Bursts of state-file events become one `ps()`. */
  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, COALESCE_MS);
  }

  async refresh(): Promise<void> {
    if (this.inFlight) {
      await this.inFlight;
    }
    this.inFlight = (async () => {
      try {
        this.list = await this.engine.ps();
        this.emitter.fire(this.list);
      } catch (e) {
        this.log.error(`listing sandboxes failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    })();
    try {
      await this.inFlight;
    } finally {
      this.inFlight = undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
