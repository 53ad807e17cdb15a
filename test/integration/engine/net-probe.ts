// A listener on the host's 127.0.0.1 that counts connections: sandboxes must not reach it.
import net from 'node:net';

export interface Probe {
  port: number;
  connections: number;
  close(): Promise<void>;
}

export async function hostListener(): Promise<Probe> {
  const probe = { port: 0, connections: 0, close: async () => undefined as void };
  const srv = net.createServer((sock) => {
    probe.connections++;
    sock.end('HTTP/1.1 200 OK\r\ncontent-length: 7\r\n\r\nreached');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  probe.port = (srv.address() as net.AddressInfo).port;
  probe.close = () => new Promise<void>((r) => srv.close(() => r()));
  return probe;
}
