// A minimal QMP client for stop steps: read the greeting, negotiate capabilities, send one
// command, and wait for its answer (or the socket closing, which `quit` does). The other end is
// a VMM a guest may have taken over: a line that is not JSON, or one that never ends, is an error
// of this command, never a crash of the monitor or unbounded memory.
import net from 'node:net';

export const MAX_QMP_LINE = 1024 * 1024;

export function qmpCommand(socket: string, command: string, timeoutMs = 3000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const conn = net.createConnection(socket);
    let buf = '';
    let step = 0;
    const timer = setTimeout(() => {
      conn.destroy();
      reject(new Error(`QMP ${command}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (v: unknown) => {
      clearTimeout(timer);
      conn.destroy();
      resolve(v);
    };
    conn.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    conn.on('close', () => done(undefined));
    const fail = (err: Error) => {
      clearTimeout(timer);
      conn.destroy();
      reject(err);
    };
    conn.on('data', (d) => {
      buf += d.toString();
      if (buf.length > MAX_QMP_LINE && buf.indexOf('\n') < 0) return fail(new Error(`QMP ${command}: a message over ${MAX_QMP_LINE} bytes`));
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          return fail(new Error(`QMP ${command}: not JSON: ${line.slice(0, 80)}`));
        }
        if (typeof msg !== 'object' || msg === null) return fail(new Error(`QMP ${command}: not a JSON object: ${line.slice(0, 80)}`));
        if ('event' in msg) continue;
        if (step === 0 && 'QMP' in msg) {
          step = 1;
          conn.write(JSON.stringify({ execute: 'qmp_capabilities' }) + '\n');
        } else if (step === 1 && ('return' in msg || 'error' in msg)) {
          step = 2;
          conn.write(JSON.stringify({ execute: command }) + '\n');
        } else if (step === 2 && ('return' in msg || 'error' in msg)) {
          done(msg);
        }
      }
    });
  });
}
