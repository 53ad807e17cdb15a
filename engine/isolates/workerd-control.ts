// HTTP over the isolate host's control socket (workerd's unix socket served by the router's
// `control` entrypoint): register, remove and query isolates.
import http from 'node:http';

export function controlRequest(socketPath: string, method: string, urlPath: string, body?: unknown, timeoutMs = 5000): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      { socketPath, method, path: urlPath, timeout: timeoutMs, agent: false, headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`the isolate host did not answer ${method} ${urlPath} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}

/** Resolves once the control socket answers; rejects after `timeoutMs` or when `isAlive` turns false. */
export async function waitControl(socketPath: string, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await controlRequest(socketPath, 'GET', '/isolates', undefined, 1000);
      if (r.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (!isAlive()) throw new Error('workerd exited before its control socket answered');
    if (Date.now() > deadline) throw new Error(`workerd's control socket did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
