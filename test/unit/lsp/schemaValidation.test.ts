// The validator's findings, mapped back onto the source: one diagnostic per problem, on the key or
// value at fault, in our wording and with the quick fixes the editor offers.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createLanguageService } from '../../../language-server/service/index';
import { at, doc } from './helpers';

const svc = createLanguageService();

async function errorsOf(name: string, text: string) {
  return (await svc.diagnostics(doc(name, text))).filter((d) => d.severity === 1).map((d) => ({ code: d.code, message: d.message, start: d.range.start }));
}

describe('schema findings on the source', () => {
  test('a section of the wrong kind names every kind Firecracker would take', async () => {
    const text = '{ "boot-source": { "kernel_image_path": "k" }, "drives": [], "vsock": "x", "cpu-config": 3 }';
    assert.deepEqual(await errorsOf('vm.firecracker.json', text), [
      { code: 'wrong-type', message: 'Expected object or null, got string.', start: at(text, '"x"') },
      { code: 'wrong-type', message: 'Expected object or string or null, got integer.', start: at(text, '3 }') },
    ]);
  });

  test('enum values and unknown keys inside array items, with their fixes', async () => {
    const text = '{ "boot-source": { "kernel_image_path": "k" }, "drives": [ { "drive_id": "r", "is_root_device": true, "path_on_host": "p", "io_engine": "Asnyc", "cache_typ": "Unsafe" } ] }';
    const d = doc('vm.firecracker.json', text);
    const all = await svc.diagnostics(d);
    assert.deepEqual(all.map((x) => [x.code, x.message, x.range.start]), [
      ['bad-value', '"Asnyc" is not one of: Sync, Async.', at(text, '"Asnyc"')],
      ['unknown-key', 'Unknown key "cache_typ". Did you mean "cache_type"?', at(text, '"cache_typ"')],
    ]);
    const actions = await svc.codeActions(d, all[0].range, { diagnostics: [all[0]] });
    assert.equal(actions[0].title, 'Change to Async');
  });

  test('formats give an example; OCI ranges, required keys and enums on the value', async () => {
    const fc = '{ "boot-source": { "kernel_image_path": "k" }, "drives": [], "network-interfaces": [ { "iface_id": "e", "host_dev_name": "tap0", "guest_mac": "zz" } ] }';
    assert.deepEqual(await errorsOf('vm.firecracker.json', fc), [{ code: 'bad-format', message: '"zz" does not match the expected format (e.g. 06:00:AC:10:00:02).', start: at(fc, '"zz"') }]);
    const oci = '{ "ociVersion": "1.0.0", "root": { "path": "rootfs" }, "process": { "cwd": "/", "user": { "uid": -1, "gid": 0 }, "consoleSize": { "height": 1 } }, "linux": { "namespaces": [ { "type": "netns" } ], "seccomp": { "defaultAction": "SCMP_ACT_ALLOW" } }, "hostname": 5 }';
    assert.deepEqual(await errorsOf('config.json', oci), [
      { code: 'out-of-range', message: 'Must be at least 0.', start: at(oci, '-1') },
      { code: 'missing-key', message: 'Missing required key "width".', start: at(oci, '"consoleSize"') },
      { code: 'bad-value', message: '"netns" is not one of: mount, pid, network, uts, ipc, user, cgroup, time.', start: at(oci, '"netns"') },
      { code: 'wrong-type', message: 'Expected string, got integer.', start: at(oci, '5 }') },
    ]);
  });

  test('duplicate keys: the last one counts, the earlier one is flagged', async () => {
    const text = '{ "boot-source": { "kernel_image_path": "k" }, "drives": [], "machine-config": { "vcpu_count": 2, "vcpu_count": 40, "mem_size_mib": 128 } }';
    assert.deepEqual((await errorsOf('vm.firecracker.json', text)).map((x) => [x.code, x.start]), [
      ['duplicate-key', at(text, '"vcpu_count"', 0, 1)],
      ['out-of-range', at(text, '40')],
    ]);
  });
});
