// Pull progress for a person or a log: on a terminal one line rewritten in place with bytes and
// speed; otherwise one line per blob as it completes (no carriage returns in CI logs).
import type { PullProgress } from '../images/service';

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

export function progressPrinter(write: (s: string) => void, tty: boolean): { onProgress: (p: PullProgress) => void; finish: () => void } {
  const started = Date.now();
  const blobs = new Map<string, PullProgress>();
  let lastDraw = 0;
  const draw = () => {
    let got = 0;
    let total = 0;
    let done = 0;
    for (const p of blobs.values()) {
      got += p.bytes;
      total += p.total;
      if (p.done) done++;
    }
    const secs = Math.max((Date.now() - started) / 1000, 0.001);
    write(`\r\x1b[2K${done}/${blobs.size} blobs  ${mib(got)} / ${mib(total)}  ${mib(got / secs)}/s`);
  };
  return {
    onProgress(p) {
      blobs.set(p.digest, p);
      if (tty) {
        if (p.done || Date.now() - lastDraw > 100) {
          lastDraw = Date.now();
          draw();
        }
      } else if (p.done) write(`${p.digest.slice(0, 19)}  ${p.cached ? 'already present' : `${mib(p.bytes)} fetched`}\n`);
    },
    finish() {
      if (tty && blobs.size) {
        draw();
        write('\n');
      }
    },
  };
}
