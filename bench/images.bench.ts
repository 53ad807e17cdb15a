// Image pull and unpack speed against the standard tools, side by side, interleaved, on the
// realistic Debian+python3 image (test/helpers/debian-image.ts) served by a local registry:
//  1. pull into a fresh store (manifest, config, layer verified while streaming) vs `skopeo copy`
//     of the same image to an OCI layout. Target: median ratio <= 1.2.
//  2. unpack of the same gzip layer (whiteouts, link checks, diff_id hash) vs `tar -xzf`.
//     Target: median ratio <= 1.2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pullImage } from '../engine/images/pull';
import { ImageStore } from '../engine/images/store';
import { unpackLayers } from '../engine/images/unpack';
import { debianPythonLayout } from '../test/helpers/debian-image';
import { startRegistry } from '../test/helpers/registry';
import { loadAverage, reportTargets, type Verdict } from './report';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET = 1.2;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function timed(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

async function timedAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const layout = await debianPythonLayout((s) => console.log(s));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'spectrum-imgbench-'));
  const reg = await startRegistry();
  try {
    await reg.push(`oci:${layout}:python`, 'bench/python:1');
    const ref = `${reg.host}/bench/python:1`;
    const idx = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    const manifest = JSON.parse(readFileSync(path.join(layout, 'blobs', 'sha256', idx.manifests[0].digest.slice(7)), 'utf8')) as { layers: { digest: string; size: number }[] };
    const layer = path.join(layout, 'blobs', 'sha256', manifest.layers[0].digest.slice(7));
    console.log(`image: Debian bookworm + python3, one layer of ${(manifest.layers[0].size / 1048576).toFixed(1)} MiB gzip; ${RUNS} runs each, interleaved`);

    const ours: number[] = [];
    const skopeo: number[] = [];
    const oursUnpack: number[] = [];
    const tarX: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const store = new ImageStore(path.join(tmp, `store-${i}`));
      ours.push(await timedAsync(() => pullImage(store, ref)));
      const dest = path.join(tmp, `skopeo-${i}`);
      skopeo.push(timed(() => {
        const r = spawnSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${ref}`, `oci:${dest}:python`], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`skopeo copy failed: ${r.stderr}`);
      }));
      rmSync(path.join(tmp, `store-${i}`), { recursive: true, force: true });
      rmSync(dest, { recursive: true, force: true });

      const a = path.join(tmp, `unpack-${i}`);
      oursUnpack.push(await timedAsync(() => unpackLayers([{ file: layer }], a)));
      const b = path.join(tmp, `tar-${i}`);
      tarX.push(timed(() => {
        spawnSync('mkdir', ['-p', b]);
        const r = spawnSync('tar', ['-xzf', layer, '-C', b], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`tar -x failed: ${r.stderr}`);
      }));
      rmSync(a, { recursive: true, force: true });
      rmSync(b, { recursive: true, force: true });
    }
    const pullRatio = median(ours) / median(skopeo);
    const unpackRatio = median(oursUnpack) / median(tarX);
    console.log(`\n                 ours       reference    ratio`);
    console.log(`pull             ${sec(median(ours)).padEnd(10)} ${sec(median(skopeo)).padEnd(12)} ${pullRatio.toFixed(2)}  (skopeo copy to an OCI layout)`);
    console.log(`unpack           ${sec(median(oursUnpack)).padEnd(10)} ${sec(median(tarX)).padEnd(12)} ${unpackRatio.toFixed(2)}  (tar -xzf)`);
    console.log(`runs: pull ${ours.map(sec).join(' ')} | skopeo ${skopeo.map(sec).join(' ')} | unpack ${oursUnpack.map(sec).join(' ')} | tar ${tarX.map(sec).join(' ')}`);
    console.log(loadAverage());
    const verdicts: Verdict[] = [
      { target: `pull ${pullRatio.toFixed(2)}x skopeo copy <= ${TARGET}x`, ok: pullRatio <= TARGET },
      { target: `unpack ${unpackRatio.toFixed(2)}x tar -x <= ${TARGET}x`, ok: unpackRatio <= TARGET },
    ];
    reportTargets('images', verdicts);
  } finally {
    await reg.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exitCode = 1;
});
