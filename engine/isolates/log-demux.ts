// Splits the isolate host's stdout into lines and routes each tagged one (see isolate-code.ts)
// to the isolate whose key it carries; everything else belongs to the host's own log.
import { LOG_MARK } from './isolate-code';

export interface Routed {
  key?: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export function parseLine(line: string): Routed {
  if (line.startsWith(LOG_MARK)) {
    const m = /^\u001e(\S+) (out|err) (".*")$/.exec(line);
    if (m) {
      try {
        return { key: m[1], stream: m[2] === 'err' ? 'stderr' : 'stdout', text: JSON.parse(m[3]) as string };
      } catch {
        // A forged or cut line: keep it in the host's log as it is.
      }
    }
  }
  return { stream: 'stdout', text: line };
}

export class LineDemux {
  private rest = '';

  constructor(private readonly route: (r: Routed) => void) {}

  push(chunk: string): void {
    const lines = (this.rest + chunk).split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.route(parseLine(line));
  }

  flush(): void {
    if (this.rest) this.route(parseLine(this.rest));
    this.rest = '';
  }
}
