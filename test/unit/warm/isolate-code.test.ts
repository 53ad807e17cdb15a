import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isolateCode, userModuleName, warmableWorker, LOG_MARK, PING_ENTRYPOINT } from '../../../engine/isolates/isolate-code';
import { LineDemux, parseLine, type Routed } from '../../../engine/isolates/log-demux';
import { hostConfig, HOST_WORKER_JS } from '../../../engine/isolates/host-worker';
import { spec } from '../engine/helpers';

describe('warm isolate code', () => {
  const s = spec({ name: 'edge', isolation: 'isolate', worker: '/w/edge.worker.js', command: undefined, image: undefined, env: { A: '1' }, network: 'outbound', compatibilityDate: '2024-06-01' });

  test('the user module is wrapped so the console is tagged before it runs', () => {
    const c = isolateCode(s, 'export default {}', 'k123');
    assert.equal(c.mainModule, '__spectrum_main.js');
    assert.deepEqual(Object.keys(c.modules).sort(), ['__spectrum_console.js', '__spectrum_main.js', 'edge.worker.js']);
    const main = c.modules['__spectrum_main.js'];
    assert.ok(main.indexOf('__spectrum_console.js') < main.indexOf('edge.worker.js'), 'console module must be imported first');
    assert.match(main, /export \{ default \} from ".\/edge.worker.js"/);
    assert.match(main, new RegExp(`export const ${PING_ENTRYPOINT} = \\{ fetch:`), 'the host loads it through a ping entrypoint');
    assert.match(c.modules['__spectrum_console.js'], /"k123"/);
    assert.equal(c.modules['edge.worker.js'], 'export default {}');
    assert.deepEqual(c.env, { A: '1' });
    assert.equal(c.network, 'outbound');
    assert.equal(c.compatibilityDate, '2024-06-01');
  });

  test('module names cannot collide with the wrapper or hold path characters', () => {
    assert.equal(userModuleName('/x/__spectrum_main.js'), 'user___spectrum_main.js');
    assert.equal(userModuleName('/x/my worker.js'), 'my_worker.js');
    assert.equal(userModuleName('/x/block.mjs'), 'block.js', 'the loader only takes names ending in .js');
  });

  test('only JavaScript modules run warm', () => {
    assert.equal(warmableWorker('/a/w.js'), true);
    assert.equal(warmableWorker('/a/w.mjs'), true);
    assert.equal(warmableWorker('/a/w.wasm'), false);
    assert.equal(warmableWorker(undefined), false);
  });
});

describe('isolate host log routing', () => {
  test('tagged lines go to their isolate, with stream and text intact', () => {
    assert.deepEqual(parseLine(`${LOG_MARK}k1 out "hello\\nworld"`), { key: 'k1', stream: 'stdout', text: 'hello\nworld' });
    assert.deepEqual(parseLine(`${LOG_MARK}k1 err "oops"`), { key: 'k1', stream: 'stderr', text: 'oops' });
  });

  test('untagged, cut or forged lines stay in the host log', () => {
    assert.deepEqual(parseLine('plain'), { stream: 'stdout', text: 'plain' });
    assert.equal(parseLine(`${LOG_MARK}k1 out "unterminated`).key, undefined);
    assert.equal(parseLine(`${LOG_MARK}k1 bad "x"`).key, undefined);
  });

  test('lines split across chunks are joined before routing', () => {
    const got: Routed[] = [];
    const d = new LineDemux((r) => got.push(r));
    d.push(`${LOG_MARK}k1 out "a`);
    d.push(`b"\nhost line\n${LOG_MARK}k2 out "c"`);
    assert.deepEqual(got.map((r) => [r.key, r.text]), [['k1', 'ab'], [undefined, 'host line']]);
    d.flush();
    assert.deepEqual(got[2], { key: 'k2', stream: 'stdout', text: 'c' });
  });
});

describe('isolate host config', () => {
  test('the router gets the Worker Loader, the experimental flag and a unix control socket', () => {
    const c = hostConfig({ port: 4321, controlSocket: '/run/x/workerd.sock', moduleName: 'isolate-host.js' });
    assert.match(c, /workerLoader = \(\)/);
    assert.match(c, /compatibilityFlags = \["experimental"\]/);
    assert.match(c, /address = "127\.0\.0\.1:4321"/);
    assert.match(c, /address = "unix:\/run\/x\/workerd\.sock".*entrypoint = "control"/);
    assert.match(c, /name = "public", network = \(allow = \["public"\]/);
  });

  test('an isolate without network gets no outbound at all', () => {
    assert.match(HOST_WORKER_JS, /return null;/);
    assert.match(HOST_WORKER_JS, /globalOutbound: outboundFor\(entry\.network, env\)/);
  });
});
