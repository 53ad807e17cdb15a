// ports: on an isolate, on the real workerd: the worker answers on the published host port,
// inspect lists it with its URL, down frees it; a start: warm spec (one shared workerd) and a UDP
// entry are refused before anything starts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sandboxWorld, emptyLeftovers, type SandboxWorld } from '../engine/sandbox-env';
import { freePort, listening } from './net-env';

let world: SandboxWorld;
before(() => {
  world = sandboxWorld();
  world.write('web.worker.js', `export default { fetch: (req) => new Response('isolate-port ' + new URL(req.url).pathname) };\n`);
});
after(async () => {
  await world.close();
});

const spec = (hostPort: number, extra = '') => `name: web\nisolation: isolate\nworker: ./web.worker.js\ncompatibilityDate: 2025-01-01\nports: ["${hostPort}:80"${extra}]\n`;

describe('isolate: published ports', () => {
  test('the worker answers on the published port; inspect lists it; down frees it', async () => {
    const hostPort = await freePort();
    const [info] = await world.engine.up(world.write('web.sandbox.yaml', spec(hostPort)));
    world.ids.add(info.id);
    assert.equal(info.url, `http://127.0.0.1:${hostPort}/`);
    assert.equal(await (await fetch(`http://127.0.0.1:${hostPort}/x`)).text(), 'isolate-port /x');
    const inspected = await world.engine.inspect(info.id);
    assert.deepEqual(inspected.extra?.publishedPorts, [{ hostAddress: '127.0.0.1', hostPort, sandboxPort: 80, protocol: 'tcp', url: `http://127.0.0.1:${hostPort}/` }]);
    assert.equal(inspected.extra?.start, 'cold');
    await world.engine.down(info.id);
    assert.equal(await listening('127.0.0.1', hostPort), false, 'the published port still listens after down');
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });

  test('start: warm and UDP entries are refused, and nothing is left', async () => {
    const hostPort = await freePort();
    await assert.rejects(world.engine.up(world.write('warm.sandbox.yaml', `${spec(hostPort)}start: warm\n`)), /start: warm shares one workerd/);
    await assert.rejects(world.engine.up(world.write('udp.sandbox.yaml', spec(hostPort, `, "${hostPort + 1}:53/udp"`))), /serves HTTP only/);
    assert.equal(await listening('127.0.0.1', hostPort), false);
    assert.deepEqual(world.leftovers(), emptyLeftovers());
  });
});
