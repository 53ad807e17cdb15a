// Follows a file another process appends to (the VMM's serial console log), for the monitor.
// Polling keeps it simple and portable; 15 ms is well below a guest's boot time.
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';

export interface Tail {
  /** Reads what is left and stops. */
  stop(): void;
}

export function tailFile(file: string, onChunk: (b: Buffer) => void, intervalMs = 15): Tail {
  let fd: number | undefined;
  let offset = 0;
  const buf = Buffer.alloc(64 * 1024);
  const poll = () => {
    if (fd === undefined) {
      try {
        fd = openSync(file, 'r');
      } catch {
        return; // not created yet
      }
    }
    for (;;) {
      const size = fstatSync(fd).size;
      if (size <= offset) return;
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - offset), offset);
      if (n <= 0) return;
      offset += n;
      onChunk(Buffer.from(buf.subarray(0, n)));
    }
  };
  const timer = setInterval(poll, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      poll();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
