// Deploying an export: a thin layer over `kubectl`, described as ProcessSpecs (argument arrays)
// and run by the one runner. Every command names its context explicitly, so a kubeconfig's
// current context changing between the confirmation and the apply cannot redirect it.
import type { ProcessSpec } from '../drivers/driver';
import { EngineError } from '../errors';
import { runCommand } from '../runner';
import { parsePods, type ClusterPod } from './pods';

export const MANAGED_SELECTOR = 'app.kubernetes.io/managed-by=isolation-spectrum';

export const kubectl = {
  currentContext: (): ProcessSpec => ({ command: 'kubectl', args: ['config', 'current-context'] }),
  /** Server-side dry run first is the caller's choice; this applies for real. */
  apply: (context: string, files: string[]): ProcessSpec => ({ command: 'kubectl', args: ['--context', context, 'apply', ...files.flatMap((f) => ['-f', f])] }),
  pods: (context: string): ProcessSpec => ({ command: 'kubectl', args: ['--context', context, 'get', 'pods', '-l', MANAGED_SELECTOR, '-o', 'json'] }),
  logs: (context: string, pod: string, namespace?: string): ProcessSpec => ({
    command: 'kubectl',
    args: ['--context', context, ...(namespace ? ['--namespace', namespace] : []), 'logs', '--tail', '200', `pod/${pod}`],
  }),
};

/** The kubeconfig's current context, or undefined when there is none (no kubectl, no config). */
export async function currentContext(env?: Record<string, string>): Promise<string | undefined> {
  const r = await runCommand({ ...kubectl.currentContext(), env }).catch(() => undefined);
  const name = r?.exitCode === 0 ? r.stdout.trim() : '';
  return name || undefined;
}

/** Applies the files to the named context; kubectl's own output, or an error naming the context. */
export async function applyToContext(context: string, files: string[], env?: Record<string, string>): Promise<string> {
  const r = await runCommand({ ...kubectl.apply(context, files), env }, { timeoutMs: 120_000 });
  if (r.exitCode !== 0) throw new EngineError(`kubectl apply to context ${context} failed: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  return r.stdout;
}

/** The pods our exports deployed in the context (its default namespace), as the cluster reports them. */
export async function listPods(context: string, env?: Record<string, string>): Promise<ClusterPod[]> {
  const r = await runCommand({ ...kubectl.pods(context), env }, { timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new EngineError(`kubectl get pods in context ${context} failed: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  return parsePods(r.stdout);
}

/** The last lines of a pod's log (kubectl's own output), or an error naming the context. */
export async function podLogs(context: string, pod: string, namespace?: string, env?: Record<string, string>): Promise<string> {
  const r = await runCommand({ ...kubectl.logs(context, pod, namespace), env }, { timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new EngineError(`kubectl logs ${pod} in context ${context} failed: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  return r.stdout;
}

/** The current context, or why there is none (kubectl missing, or no context set), for the view to say. */
export async function clusterContext(env?: Record<string, string>): Promise<{ context: string } | { reason: string }> {
  try {
    const r = await runCommand({ ...kubectl.currentContext(), env }, { timeoutMs: 10_000 });
    const name = r.exitCode === 0 ? r.stdout.trim() : '';
    if (name) return { context: name };
    return { reason: `no cluster context: ${r.stderr.trim().replace(/^error:\s*/, '') || 'kubectl names none'}` };
  } catch (err) {
    return { reason: `no cluster context: ${(err as Error).message}` };
  }
}
