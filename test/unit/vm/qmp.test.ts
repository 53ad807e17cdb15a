import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { QmpClient, queryVm } from '../../../engine/vm/qmp';

/** A scripted QMP peer: greeting, then canned answers per command (and one event). */
function fakeQmp(socket: string, answers: Record<string, unknown>): Promise<net.Server> {
  const server = net.createServer((c) => {
    c.write(JSON.stringify({ QMP: { version: { qemu: { major: 7, minor: 2, micro: 22 } }, capabilities: [] } }) + '\r\n');
    let buf = '';
    c.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const cmd = JSON.parse(buf.slice(0, nl)) as { execute: string };
        buf = buf.slice(nl + 1);
        c.write(JSON.stringify({ event: 'RTC_CHANGE', data: {} }) + '\r\n');
        if (cmd.execute in answers) c.write(JSON.stringify({ return: answers[cmd.execute] }) + '\r\n');
        else c.write(JSON.stringify({ error: { class: 'CommandNotFound', desc: `The command ${cmd.execute} has not been found` } }) + '\r\n');
      }
    });
  });
  return new Promise((resolve) => server.listen(socket, () => resolve(server)));
}

describe('QMP client', () => {
  test('negotiates, answers in order, keeps events apart, and reports errors', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'qmp-'));
    const sock = path.join(dir, 'q.sock');
    const server = await fakeQmp(sock, { qmp_capabilities: {}, 'query-status': { status: 'running', running: true }, 'query-memory-size-summary': { 'base-memory': 268435456 }, 'query-cpus-fast': [{}, {}] });
    try {
      const c = await QmpClient.connect(sock);
      assert.equal(c.version, '7.2.22');
      assert.deepEqual(await c.execute('query-status'), { status: 'running', running: true });
      await assert.rejects(c.execute('nope'), /CommandNotFound/);
      assert.ok(c.events.some((e) => e.event === 'RTC_CHANGE'));
      c.close();
      assert.deepEqual(await queryVm(sock), { status: 'running', running: true, memoryBytes: 268435456, vcpus: 2, qemuVersion: '7.2.22' });
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing socket fails fast', async () => {
    await assert.rejects(QmpClient.connect(path.join(os.tmpdir(), 'no-such-qmp.sock'), 500));
  });
});
