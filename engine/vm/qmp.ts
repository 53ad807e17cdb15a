// A QMP client for inspect and tear-down: one connection, the capabilities handshake, then any
// number of commands answered in order. Events are collected, not interleaved with answers.
import net from 'node:net';

/** A longer line is not QMP: the connection is dropped rather than buffered without end. */
export const MAX_QMP_LINE = 1024 * 1024;

export interface QmpError {
  class: string;
  desc: string;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; command: string };

export class QmpClient {
  private buf = '';
  private readonly queue: Pending[] = [];
  private greeting?: Record<string, unknown>;
  private onGreeting?: () => void;
  readonly events: { event: string; data?: unknown }[] = [];
  private closed = false;

  private constructor(private readonly conn: net.Socket) {
    conn.setEncoding('utf8');
    conn.on('data', (d: string) => this.onData(d));
    conn.on('close', () => {
      this.closed = true;
      for (const p of this.queue.splice(0)) p.reject(new Error(`QMP connection closed before ${p.command} was answered`));
    });
    conn.on('error', () => undefined);
  }

  /** Connects, waits for the greeting and negotiates capabilities. */
  static async connect(socket: string, timeoutMs = 3000): Promise<QmpClient> {
    const conn = net.createConnection(socket);
    const client = new QmpClient(conn);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        conn.once('error', reject);
        client.onGreeting = resolve;
      }),
      timeoutMs,
      `QMP greeting on ${socket}`,
    ).catch((e) => {
      conn.destroy();
      throw e;
    });
    await client.execute('qmp_capabilities', undefined, timeoutMs);
    return client;
  }

  get version(): string | undefined {
    const v = (this.greeting?.QMP as { version?: { qemu?: { major: number; minor: number; micro: number } } } | undefined)?.version?.qemu;
    return v ? `${v.major}.${v.minor}.${v.micro}` : undefined;
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>, timeoutMs = 3000): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`QMP connection closed; cannot run ${command}`));
    const p = new Promise<unknown>((resolve, reject) => this.queue.push({ resolve, reject, command }));
    this.conn.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n');
    return withTimeout(p, timeoutMs, `QMP ${command}`) as Promise<T>;
  }

  close(): void {
    this.conn.destroy();
  }

  private onData(d: string): void {
    this.buf += d;
    if (this.buf.length > MAX_QMP_LINE && this.buf.indexOf('\n') < 0) {
      this.buf = '';
      this.conn.destroy(new Error(`QMP message over ${MAX_QMP_LINE} bytes`));
      return;
    }
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (!line) continue;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) continue;
      if ('QMP' in msg) {
        this.greeting = msg;
        this.onGreeting?.();
      } else if ('event' in msg) this.events.push({ event: String(msg.event), data: msg.data });
      else if ('return' in msg || 'error' in msg) {
        const p = this.queue.shift();
        if (!p) continue;
        if ('error' in msg) {
          const e = msg.error as QmpError;
          p.reject(new Error(`QMP ${p.command}: ${e.class}: ${e.desc}`));
        } else p.resolve(msg.return);
      }
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

export interface VmStatus {
  status: string;
  running: boolean;
  memoryBytes?: number;
  vcpus?: number;
  qemuVersion?: string;
}

/** What inspect shows of a running VM, read over its QMP socket. */
export async function queryVm(socket: string, timeoutMs = 2000): Promise<VmStatus> {
  const c = await QmpClient.connect(socket, timeoutMs);
  try {
    const st = await c.execute<{ status: string; running: boolean }>('query-status', undefined, timeoutMs);
    const mem = await c.execute<{ 'base-memory': number }>('query-memory-size-summary', undefined, timeoutMs).catch(() => undefined);
    const cpus = await c.execute<unknown[]>('query-cpus-fast', undefined, timeoutMs).catch(() => undefined);
    return { status: st.status, running: st.running, memoryBytes: mem?.['base-memory'], vcpus: cpus?.length, qemuVersion: c.version };
  } finally {
    c.close();
  }
}
