// A size-capped log: when the file passes `maxBytes` it becomes `<file>.1` (replacing the older
// one) and a new file starts, so a chatty sandbox holds at most about twice the cap on disk.
import { closeSync, openSync, renameSync, writeSync, fstatSync } from 'node:fs';

export const DEFAULT_LOG_CAP = 1024 * 1024;

export class CappedLog {
  private fd: number;
  private size: number;

  constructor(
    private readonly file: string,
    private readonly maxBytes = DEFAULT_LOG_CAP,
  ) {
    this.fd = openSync(file, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  write(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.size + buf.length > this.maxBytes && this.size > 0) this.rotate();
    writeSync(this.fd, buf);
    this.size += buf.length;
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    renameSync(this.file, `${this.file}.1`);
    this.fd = openSync(this.file, 'a', 0o600);
    this.size = 0;
  }
}
