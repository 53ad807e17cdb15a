// A test host the network tests create for themselves: a network namespace joined to this
// machine by a veth pair with addresses from the benchmarking range (198.18.0.0/15, RFC 2544),
// and a TCP server inside it. Sandboxes reach it the way they would reach any outside machine
// (through their user-mode stack and this machine's routing), while no test traffic leaves this
// machine or touches its real interfaces. close() removes the namespace and the veth pair and
// checks that they are gone.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';

/** Port the server listens on inside the namespace (the namespace is private: any port is free). */
const SERVER_PORT = 8080;

export interface TestHost {
  /** The namespace side's address: where sandboxes connect. */
  address: string;
  port: number;
  /** Connections the server has accepted so far. */
  connections: number;
  namespace: string;
  hostLink: string;
  close(): Promise<void>;
}

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A /30 of 198.18.0.0/15 no interface here uses yet (test files may run side by side). */
function freeSubnet(): number {
  const used = ip(['-4', '-o', 'addr', 'show', 'to', '198.18.0.0/15']);
  for (let tries = 0; tries < 64; tries++) {
    const base = randomBytes(2).readUInt16BE(0) & 0xfffc; // 198.18.0.0 + 16 bits, on a /30 boundary
    if (!used.includes(` ${quad(base + 1)}/`)) return base;
  }
  throw new Error('no free /30 in 198.18.0.0/15 for a test host');
}

function quad(offset: number): string {
  return `198.${18 + (offset >> 16)}.${(offset >> 8) & 0xff}.${offset & 0xff}`;
}

/** Names of namespaces and links that exist now. */
export function namespaces(): string[] {
  return ip(['netns', 'list']).split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
}
export function linkExists(name: string): boolean {
  try {
    ip(['link', 'show', 'dev', name]);
    return true;
  } catch {
    return false;
  }
}

// The server counts connections by printing a line for each; the test reads them.
const SERVER = `
const net = require('node:net');
const [addr, port, reply] = process.argv.slice(1);
const srv = net.createServer((sock) => {
  process.stdout.write('connection\\n');
  sock.on('error', () => undefined);
  sock.end(reply + '\\n');
  setTimeout(() => sock.destroy(), 200).unref();
});
srv.listen(Number(port), addr, () => process.stdout.write('listening\\n'));
process.on('SIGTERM', () => process.exit(0));
`;

/** Creates the namespace, the veth pair and the server answering every connection with `reply`. */
export async function startTestHost(reply: string): Promise<TestHost> {
  const tag = randomBytes(4).toString('hex');
  const namespace = `spectrum-test-${tag}`;
  const hostLink = `sth${tag}`; // link names are at most 15 characters
  const peerLink = `stn${tag}`;
  const base = freeSubnet();
  const hostSide = quad(base + 1);
  const address = quad(base + 2);
  let server: ChildProcess | undefined;
  const host: TestHost = { address, port: SERVER_PORT, connections: 0, namespace, hostLink, close: async () => undefined };
  const teardown = async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    // Deleting the namespace destroys the peer inside it, and with it the host side of the pair.
    if (namespaces().includes(namespace)) ip(['netns', 'delete', namespace]);
    if (linkExists(hostLink)) ip(['link', 'delete', 'dev', hostLink]);
  };
  host.close = async () => {
    await teardown();
    if (namespaces().includes(namespace)) throw new Error(`test host namespace ${namespace} outlived close()`);
    if (linkExists(hostLink)) throw new Error(`test host link ${hostLink} outlived close()`);
  };
  try {
    ip(['netns', 'add', namespace]);
    ip(['link', 'add', hostLink, 'type', 'veth', 'peer', 'name', peerLink, 'netns', namespace]);
    ip(['addr', 'add', `${hostSide}/30`, 'dev', hostLink]);
    ip(['link', 'set', hostLink, 'up']);
    ip(['-n', namespace, 'addr', 'add', `${address}/30`, 'dev', peerLink]);
    ip(['-n', namespace, 'link', 'set', peerLink, 'up']);
    ip(['-n', namespace, 'link', 'set', 'lo', 'up']);
    server = spawn('ip', ['netns', 'exec', namespace, process.execPath, '-e', SERVER, address, String(SERVER_PORT), reply], { stdio: ['ignore', 'pipe', 'inherit'] });
    const started = server;
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: started.stdout! });
      lines.on('line', (l) => {
        if (l === 'listening') resolve();
        else if (l === 'connection') host.connections++;
      });
      started.once('exit', (code) => reject(new Error(`test host server exited (${code}) before listening`)));
      started.once('error', reject);
    });
  } catch (err) {
    await teardown();
    throw err;
  }
  return host;
}
