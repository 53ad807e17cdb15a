// Helpers for the network tests: free ports, loopback test servers, a raw HTTP GET with retries,
// and what a sandbox's user-mode network leaves behind. Traffic goes only to loopback, to the
// sandboxes' own namespaces and to the test host of test-host.ts (a namespace the tests create).
import net from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A port nothing listens on right now (bound then released). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, host, r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface TestServer {
  port: number;
  connections: number;
  close(): Promise<void>;
}

/** A TCP server on `host` that answers every connection with `reply` and counts them. */
export async function replyServer(host: string, reply: string): Promise<TestServer> {
  const s: TestServer = { port: 0, connections: 0, close: async () => undefined };
  const srv = net.createServer((sock) => {
    s.connections++;
    sock.on('error', () => undefined);
    sock.end(`${reply}\n`);
    // A full close: a half-closed connection can keep the client inside waiting.
    setTimeout(() => sock.destroy(), 200).unref();
  });
  await new Promise<void>((r) => srv.listen(0, host, r));
  s.port = (srv.address() as net.AddressInfo).port;
  s.close = () => new Promise<void>((r) => srv.close(() => r()));
  return s;
}

/** Everything a TCP connection to host:port brings back before it closes ('' when refused or reset). */
export function readAll(host: string, port: number, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    const sock = net.connect({ host, port });
    const done = () => {
      sock.destroy();
      resolve(buf);
    };
    sock.setTimeout(timeoutMs, done);
    sock.on('data', (d) => (buf += d.toString()));
    sock.on('connect', () => sock.write('GET / HTTP/1.0\r\n\r\n'));
    sock.on('error', done);
    sock.on('close', done);
  });
}

/** Retries readAll until the answer contains `want` or `ms` passed; returns the last answer. */
export async function waitAnswer(host: string, port: number, want: string, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    last = await readAll(host, port);
    if (last.includes(want)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

/** Whether anything accepts TCP connections on host:port. */
export function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    sock.setTimeout(2000, () => {
      sock.destroy();
      resolve(false);
    });
    sock.on('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.on('error', () => resolve(false));
  });
}

/** The pasta pid a sandbox recorded in its runtime folder, if any. */
export function pastaPid(worldRoot: string, id: string): number | undefined {
  const file = path.join(worldRoot, 'run', 'isolation-spectrum', id, 'pasta.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
}

/** Network namespace mounts (nsfs) under `root`. */
export function namespaceMounts(root: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8').split('\n').filter((l) => l.startsWith('nsfs ') && l.includes(root));
}

/** A shell loop serving one fixed HTTP answer with busybox nc (works under gVisor, unlike httpd/wget). */
export function ncServer(port: number, body: string): string[] {
  return ['/bin/sh', '-c', `while true; do printf 'HTTP/1.0 200 OK\\r\\n\\r\\n${body}\\n' | nc -l -p ${port}; done`];
}
