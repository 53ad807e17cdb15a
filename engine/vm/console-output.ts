// Reads a guest's serial console log: what the command printed, and its exit code from the
// nonce-tagged line /init writes last.
import { exitMarker, startMarker } from './init-script';

export interface ConsoleResult {
  /** The command's output (CRLF from the serial tty turned back to LF). */
  output: string;
  /** undefined when the guest never reported one (no boot, crash, timeout). */
  exitCode?: number;
  /** The command was started (its start marker was seen). */
  started: boolean;
  /** A kernel panic line, when the guest kernel died. */
  panic?: string;
}

export function parseConsole(log: string, nonce: string): ConsoleResult {
  const text = log.replace(/\r\n/g, '\n');
  const start = text.indexOf(startMarker(nonce) + '\n');
  const panic = text.match(/Kernel panic - not syncing:[^\n]*/)?.[0];
  const exitRe = new RegExp(`\\n?${exitMarker(nonce)}:(\\d+)\\n`, 'g');
  let exitCode: number | undefined;
  let exitAt = -1;
  for (const m of text.matchAll(exitRe)) {
    exitCode = Number(m[1]);
    exitAt = m.index!;
  }
  const from = start >= 0 ? start + startMarker(nonce).length + 1 : 0;
  let output = '';
  if (start >= 0) output = text.slice(from, exitAt >= from ? exitAt : undefined);
  return { output, exitCode, started: start >= 0, panic };
}

/**
 * Streaming view of a guest console for the monitor: passes the command's output on (CRLF made
 * LF, our marker lines removed) and remembers the exit code from the nonce-tagged line. Holds
 * back a partial last line, since a marker can arrive split across chunks.
 */
export class ConsoleFilter {
  private pending = '';
  private blankHeld = false;
  /** After the exit line only power-off chatter follows: hidden. */
  private ended = false;
  exitCode?: number;
  started = false;
  /** The guest kernel's panic line, if it died. */
  panic?: string;
  private readonly start: string;
  private readonly exit: RegExp;

  constructor(nonce: string) {
    this.start = startMarker(nonce);
    this.exit = new RegExp(`^${exitMarker(nonce)}:(\\d+)$`);
  }

  /** Returns the text to show for this chunk. */
  push(chunk: string): string {
    this.pending += chunk;
    const lastNl = this.pending.lastIndexOf('\n');
    if (lastNl < 0) return '';
    const complete = this.pending.slice(0, lastNl + 1);
    this.pending = this.pending.slice(lastNl + 1);
    return this.lines(complete);
  }

  /** The rest, at the end of the stream. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    const out = rest ? this.lines(rest) : '';
    const blank = this.blankHeld ? '\n' : '';
    this.blankHeld = false;
    return blank + out;
  }

  private lines(text: string): string {
    let out = '';
    for (const raw of text.split(/(?<=\n)/)) {
      if (this.ended) break;
      const line = raw.replace(/\r?\n$/, '').replace(/\r$/, '');
      const panic = /Kernel panic - not syncing:.*/.exec(line);
      if (panic) this.panic ??= panic[0];
      const m = this.exit.exec(line);
      if (m) {
        this.exitCode = Number(m[1]);
        // /init writes a newline before the marker in case the output lacked one: drop it.
        this.blankHeld = false;
        this.ended = true;
        continue;
      }
      if (this.blankHeld) out += '\n';
      this.blankHeld = false;
      // Firmware may leave a partial line before it (no newline after "Booting from ROM..").
      if (line.endsWith(this.start)) {
        this.started = true;
        continue;
      }
      if (line === '' && raw.endsWith('\n')) {
        this.blankHeld = true;
        continue;
      }
      out += raw.endsWith('\n') ? `${line}\n` : line;
    }
    return out;
  }
}
