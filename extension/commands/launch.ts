// `isolationSpectrum.launch`: with `{uri, name}` (code lenses) or a URI it launches that spec;
// otherwise a quick pick of the workspace's specs and a template for every level. Levels this
// host can't run are listed under their own separator with the reason; picking one shows the fix.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LevelReport } from '../../engine/api';
import { ISOLATION_LEVELS, type Isolation } from '../../engine/spec/types';
import type { SandboxCommandArgs } from '../../language-server/protocol';
import { levelIcon } from '../levels';
import { writeTemplate } from '../templates';
import { reportError, requireTrust, type CommandDeps, type CommandFactory } from './deps';
import { launchWithProgress } from './launchRun';

type Item = vscode.QuickPickItem & { file?: vscode.Uri; level?: Isolation; unavailable?: LevelReport };

async function pickItems(deps: CommandDeps): Promise<Item[]> {
  const [files, doctor] = await Promise.all([
    vscode.workspace.findFiles('**/*.{sandbox.yaml,sandbox.yml}', '**/node_modules/**', 200),
    deps.engine.doctor().catch(() => undefined),
  ]);
  const items: Item[] = [];
  if (files.length) items.push({ label: 'Workspace specs', kind: vscode.QuickPickItemKind.Separator });
  for (const file of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    items.push({ label: `$(file) ${path.basename(file.fsPath)}`, description: vscode.workspace.asRelativePath(file), file });
  }
  const report = (level: Isolation) => doctor?.levels.find((l) => l.isolation === level && l.support.ok) ?? doctor?.levels.find((l) => l.isolation === level);
  const ok = ISOLATION_LEVELS.filter((l) => !doctor || report(l)?.support.ok);
  const missing = ISOLATION_LEVELS.filter((l) => !ok.includes(l));
  items.push({ label: 'Templates', kind: vscode.QuickPickItemKind.Separator });
  for (const level of ok) {
    items.push({ label: `$(${levelIcon(level).id}) Template: ${level}`, description: report(level)?.support.reason, level });
  }
  if (missing.length) {
    items.push({ label: 'Not available on this host', kind: vscode.QuickPickItemKind.Separator });
    for (const level of missing) {
      const r = report(level);
      items.push({ label: `$(circle-slash) ${level}`, description: r?.support.reason ?? 'no runtime found', level, unavailable: r });
    }
  }
  return items;
}

export const launch: CommandFactory = (deps) => async (arg?: unknown) => {
  if (!requireTrust()) return undefined;
  if (arg instanceof vscode.Uri) return launchWithProgress(deps, arg.fsPath, path.basename(arg.fsPath));
  if (typeof arg === 'object' && arg !== null && typeof (arg as SandboxCommandArgs).uri === 'string') {
    const a = arg as SandboxCommandArgs;
    const file = vscode.Uri.parse(a.uri).fsPath;
    return launchWithProgress(deps, file, a.name ? `'${a.name}'` : path.basename(file), a.name || undefined);
  }
  const pick = await vscode.window.showQuickPick(pickItems(deps), { placeHolder: 'Launch a workspace spec or a template', matchOnDescription: true });
  if (!pick) return undefined;
  if (pick.unavailable || (pick.level && !pick.file && pick.label.startsWith('$(circle-slash)'))) {
    const fix = pick.unavailable?.support.fix;
    const choice = await vscode.window.showErrorMessage(
      `The ${pick.level} level can't run on this host: ${pick.unavailable?.support.reason ?? 'no runtime found'}.${fix ? ` Fix: ${fix}` : ''}`,
      ...(fix ? ['Copy Fix'] : []),
    );
    if (choice === 'Copy Fix' && fix) await vscode.env.clipboard.writeText(fix);
    return undefined;
  }
  if (pick.file) return launchWithProgress(deps, pick.file.fsPath, path.basename(pick.file.fsPath));
  if (pick.level) {
    try {
      const dir = path.join(deps.context.globalStorageUri.fsPath, 'templates');
      const file = await writeTemplate(dir, pick.level);
      return launchWithProgress(deps, file, `the ${pick.level} template`);
    } catch (e) {
      await reportError(deps, 'Writing the template failed', e);
    }
  }
  return undefined;
};
