// A minimal QMP client for stop steps: read the greeting, negotiate capabilities, send one
// command, and wait for its answer (or the socket closing, which `quit` does).
import net from 'node:net';

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
    conn.on('data', (d) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        const msg = JSON.parse(line) as Record<string, unknown>;
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
