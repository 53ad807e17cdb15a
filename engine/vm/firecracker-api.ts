// Firecracker's API over its Unix socket: the pre-boot PUT requests a config describes, in the
// order its documentation uses (logger first, then boot source, machine, drives, network...),
// ending with InstanceStart; plus the HTTP/1.1 sender and the jailer's command line.
import http from 'node:http';
import type { FirecrackerConfig } from './firecracker-config';

export interface FcRequest {
  method: 'PUT' | 'PATCH' | 'GET';
  path: string;
  body?: unknown;
}

/** Drops null/undefined fields: Firecracker treats an absent optional field as its default. */
function clean<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

export function apiRequests(cfg: FirecrackerConfig): FcRequest[] {
  const r: FcRequest[] = [];
  if (cfg.logger) r.push({ method: 'PUT', path: '/logger', body: clean(cfg.logger as object) });
  if (cfg.metrics) r.push({ method: 'PUT', path: '/metrics', body: clean(cfg.metrics as object) });
  r.push({ method: 'PUT', path: '/boot-source', body: clean(cfg['boot-source']) });
  if (cfg['machine-config']) r.push({ method: 'PUT', path: '/machine-config', body: clean(cfg['machine-config']) });
  if (cfg['cpu-config']) r.push({ method: 'PUT', path: '/cpu-config', body: cfg['cpu-config'] });
  for (const d of cfg.drives ?? []) r.push({ method: 'PUT', path: `/drives/${encodeURIComponent(d.drive_id)}`, body: clean(d) });
  for (const n of cfg['network-interfaces'] ?? []) r.push({ method: 'PUT', path: `/network-interfaces/${encodeURIComponent(n.iface_id)}`, body: clean(n) });
  if (cfg.balloon) r.push({ method: 'PUT', path: '/balloon', body: clean(cfg.balloon as object) });
  if (cfg.vsock) r.push({ method: 'PUT', path: '/vsock', body: clean(cfg.vsock as object) });
  if (cfg['mmds-config']) r.push({ method: 'PUT', path: '/mmds/config', body: clean(cfg['mmds-config'] as object) });
  if (cfg.entropy) r.push({ method: 'PUT', path: '/entropy', body: clean(cfg.entropy) });
  r.push({ method: 'PUT', path: '/actions', body: { action_type: 'InstanceStart' } });
  return r;
}

/** Serialises a request as it goes on the wire (what the tests compare with the docs' curl calls). */
export function wireRequest(req: FcRequest): string {
  const body = req.body === undefined ? '' : JSON.stringify(req.body);
  const head = [`${req.method} ${req.path} HTTP/1.1`, 'Host: localhost', 'Accept: application/json'];
  if (body) head.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}

export interface FcResponse {
  status: number;
  body: string;
}

export function sendRequest(socket: string, req: FcRequest, timeoutMs = 5000): Promise<FcResponse> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const r = http.request(
      { socketPath: socket, method: req.method, path: req.path, timeout: timeoutMs, headers: { Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}) } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    r.on('timeout', () => r.destroy(new Error(`Firecracker API ${req.method} ${req.path}: no answer within ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(body);
  });
}

/** Sends every request in order; the first non-2xx answer stops with Firecracker's fault message. */
export async function configureAndStart(socket: string, reqs: FcRequest[]): Promise<void> {
  for (const req of reqs) {
    const res = await sendRequest(socket, req);
    if (res.status < 200 || res.status >= 300) {
      let detail = res.body;
      try {
        detail = (JSON.parse(res.body) as { fault_message?: string }).fault_message ?? res.body;
      } catch {
        // keep the raw body
      }
      throw new Error(`Firecracker API ${req.method} ${req.path} answered ${res.status}: ${detail}`);
    }
  }
}

export interface JailerOptions {
  jailer: string;
  firecracker: string;
  id: string;
  uid: number;
  gid: number;
  chrootBase: string;
  /** Arguments for firecracker itself, after `--`. */
  firecrackerArgs: string[];
}

/** The jailer's argv: it chroots, drops privileges and execs firecracker in <base>/firecracker/<id>/root. */
export function jailerArgs(o: JailerOptions): string[] {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(o.id)) throw new Error(`jailer id must be 1-64 letters, digits or dashes: ${o.id}`);
  return ['--id', o.id, '--exec-file', o.firecracker, '--uid', String(o.uid), '--gid', String(o.gid), '--chroot-base-dir', o.chrootBase, '--', ...o.firecrackerArgs];
}

/** Where the jailer puts a VM's chroot (removed at tear-down). */
export function jailDir(chrootBase: string, firecracker: string, id: string): string {
  return `${chrootBase}/${firecracker.split('/').pop()}/${id}`;
}
