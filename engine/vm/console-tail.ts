// Follows a file another process appends to (the VMM's serial console log), for the monitor.
// Polling keeps it simple and portable; 15 ms is well below a guest's boot time. The file is only
// a transport (what matters goes to the size-capped output.log), so once `capBytes` of it are
// read it is emptied: a guest printing forever can't fill the disk. The VMM appends (O_APPEND),
// so its next write lands at the new start.
import { closeSync, openSync, readSync, fstatSync, truncateSync } from 'node:fs';

export interface Tail {
  /** Reads what is left and stops. */
  stop(): void;
}

export const DEFAULT_CONSOLE_CAP = 1024 * 1024;

export function tailFile(file: string, onChunk: (b: Buffer) => void, intervalMs = 15, capBytes = DEFAULT_CONSOLE_CAP): Tail {
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
      if (size < offset) offset = 0; // emptied by someone else
      if (size <= offset) break;
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - offset), offset);
      if (n <= 0) break;
      offset += n;
      onChunk(Buffer.from(buf.subarray(0, n)));
    }
    if (offset >= capBytes) {
      // Anything appended since the last read is read first, then the file starts over.
      const size = fstatSync(fd).size;
      if (size > offset) return;
      try {
        truncateSync(file, 0);
        offset = 0;
      } catch {
        // Gone: the VMM ended and its directory was removed.
      }
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
