// What the image tests that launch through the CLI share: a private sandbox world, a local
// registry holding the named busybox test images (as test/NAME:1), and `run` of a spec file.
// Call it at a test file's top level: it registers the file's before/after hooks.
import { after, before } from 'node:test';
import { sandboxWorld, type SandboxWorld } from '../engine/sandbox-env';
import { startRegistry, type TestRegistry } from '../../helpers/registry';
import { testImageLayout } from '../../helpers/test-images';

export interface ImageWorld {
  world: SandboxWorld;
  reg: TestRegistry;
  /** The busybox test images' OCI layout. */
  layout: string;
  /** `spectrum run FILE` after writing `text` to it. */
  run(file: string, text: string): { out: string; status: number | null; err: string };
}

export function imageWorld(push: string[], runTimeoutMs: number): ImageWorld {
  const w = {
    run(file: string, text: string) {
      w.world.write(file, text);
      const r = w.world.cli(['run', file], { timeoutMs: runTimeoutMs });
      return { out: r.stdout, status: r.status, err: r.stderr };
    },
  } as ImageWorld;
  before(async () => {
    w.world = sandboxWorld();
    w.layout = testImageLayout();
    w.reg = await startRegistry();
    for (const tag of push) await w.reg.push(`oci:${w.layout}:${tag}`, `test/${tag}:1`);
  });
  after(async () => {
    await w.world?.close();
    await w.reg?.stop();
  });
  return w;
}
