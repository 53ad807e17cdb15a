// A real OCI registry for tests: Debian's docker-registry (the CNCF distribution server) on
// 127.0.0.1 on a free port, with its storage in a temp dir; optionally behind htpasswd Basic auth.
// Images are pushed into it with skopeo, as a user would.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startTokenService } from './registry-token';

export interface TestRegistry {
  /** `127.0.0.1:PORT` */
  host: string;
  dir: string;
  user?: { username: string; password: string };
  /** With tokenAuth: the scopes the token service was asked for. */
  tokenRequests?: string[];
  /** Async: the token service may live in this very process and must keep answering. */
  push(source: string, name: string, opts?: { all?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(url);
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not come up on ${url}; see ${log}`);
}

/** `basicAuth`: htpasswd; `tokenAuth`: the Bearer flow through a token service (registry-token.ts). */
export async function startRegistry(opts: { basicAuth?: boolean; tokenAuth?: boolean } = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spectrum-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const user = opts.basicAuth || opts.tokenAuth ? { username: 'tester', password: `pw-${port}` } : undefined;
  const tokens = opts.tokenAuth && user ? await startTokenService(dir, user) : undefined;
  const config = [
    'version: 0.1',
    'log: { level: warn }',
    'storage:',
    `  filesystem: { rootdirectory: ${JSON.stringify(path.join(dir, 'data'))} }`,
    '  delete: { enabled: true }',
    'http:',
    `  addr: ${host}`,
  ];
  if (tokens) {
    config.push('auth:', '  token:', `    realm: ${tokens.realm}`, `    service: ${tokens.service}`, `    issuer: ${tokens.issuer}`, `    rootcertbundle: ${JSON.stringify(tokens.certFile)}`);
  } else if (user) {
    const r = spawnSync('htpasswd', ['-Bbn', user.username, user.password], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`htpasswd failed (apt package apache2-utils): ${r.stderr}`);
    writeFileSync(path.join(dir, 'htpasswd'), r.stdout);
    config.push('auth:', '  htpasswd:', '    realm: spectrum-test', `    path: ${JSON.stringify(path.join(dir, 'htpasswd'))}`);
  }
  writeFileSync(path.join(dir, 'config.yml'), `${config.join('\n')}\n`);
  const log = path.join(dir, 'registry.log');
  const fd = openSync(log, 'a');
  const child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', fd, fd] });
  try {
    await waitReady(`http://${host}/v2/`, child, log);
  } catch (err) {
    child.kill('SIGKILL');
    await tokens?.stop();
    throw err;
  }
  return {
    host,
    dir,
    user,
    ...(tokens ? { tokenRequests: tokens.requests } : {}),
    async push(source, name, pushOpts = {}) {
      const args = ['copy', '--quiet', '--dest-tls-verify=false', ...(pushOpts.all ? ['--all'] : []), ...(user ? ['--dest-creds', `${user.username}:${user.password}`] : []), source, `docker://${host}/${name}`];
      await new Promise<void>((resolve, reject) => {
        execFile('skopeo', args, { timeout: 120_000 }, (err, _stdout, stderr) => (err ? reject(new Error(`skopeo ${args.join(' ')} failed: ${stderr}`)) : resolve()));
      });
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await tokens?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
