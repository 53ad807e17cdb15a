// A readable view of one sandbox's inspect data. CPU and memory are sampled at most once a
// second, and only while the panel is visible.
import * as vscode from 'vscode';
import type { AttackSurface, Engine } from '../../engine/api';
import { renderInspect } from './inspectHtml';
import { StatsHistory } from './sparkline';

const SAMPLE_MS = 1000;

export class InspectPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(private readonly engine: Engine) {}

  async show(id: string): Promise<void> {
    const existing = this.panels.get(id);
    if (existing) {
      existing.reveal();
      return;
    }
    const info = await this.engine.inspect(id);
    const panel = vscode.window.createWebviewPanel('isolationSpectrum.inspect', `Inspect: ${info.name}`, vscode.ViewColumn.Active, { enableScripts: false });
    this.panels.set(id, panel);
    // Only samples taken while the panel is visible: sampling costs a process-tree walk.
    const history = new StatsHistory();
    const record = (s: typeof info, at: Date) => {
      if (s.state === 'running' && (s.cpuPercent !== undefined || s.memoryBytes !== undefined)) history.add({ at: at.getTime(), cpuPercent: s.cpuPercent, memoryBytes: s.memoryBytes });
    };
    const opened = new Date();
    record(info, opened);
    panel.webview.html = renderInspect(info, opened, undefined, history.all);
    // Measured once: the surface does not change while the sandbox runs, and measuring it costs time.
    let surface: AttackSurface | undefined;
    if (info.state === 'running') {
      void this.engine.surface(id).then(
        (m) => {
          surface = m;
          panel.webview.html = renderInspect(info, new Date(), surface, history.all);
        },
        () => undefined, // An ended or unmeasurable sandbox keeps its plain view.
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const sample = async () => {
      try {
        const s = await this.engine.inspect(id);
        const at = new Date();
        record(s, at);
        panel.webview.html = renderInspect(s, at, surface, history.all);
        if (s.state !== 'running' && s.state !== 'starting') stop();
      } catch {
        stop(); // torn down: keep the last picture
      }
    };
    const start = () => (timer ??= setInterval(() => void sample(), SAMPLE_MS));
    const stop = () => {
      clearInterval(timer);
      timer = undefined;
    };
    if (panel.visible) start();
    panel.onDidChangeViewState((e) => (e.webviewPanel.visible ? start() : stop()));
    panel.onDidDispose(() => {
      stop();
      this.panels.delete(id);
    });
  }

  dispose(): void {
    for (const p of this.panels.values()) p.dispose();
  }
}
