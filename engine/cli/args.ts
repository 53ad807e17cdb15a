// Argument parsing for `spectrum` (pure: unit-tested). Flags may come anywhere before `--`;
// everything after `--` belongs to the command run inside a sandbox.

export interface ParsedArgs {
  command?: string;
  positionals: string[];
  flags: Record<string, string | true>;
  /** After `--` (exec). */
  rest: string[];
}

/** Flags that take a value; every other flag is a switch. */
const VALUED = new Set(['name', 'owner', 'isolation', 'timeout', 'out', 'count']);
const SHORT: Record<string, string> = { f: 'follow', h: 'help', V: 'version', n: 'name', t: 'tty', o: 'out' };

export function parseArgs(argv: string[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: {}, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.rest = argv.slice(i + 1);
      break;
    }
    let key: string | undefined;
    let value: string | undefined;
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      key = eq > 0 ? a.slice(2, eq) : a.slice(2);
      value = eq > 0 ? a.slice(eq + 1) : undefined;
    } else if (/^-[a-zA-Z]$/.test(a)) key = SHORT[a[1]] ?? a[1];
    if (key === undefined) {
      if (out.command === undefined) out.command = a;
      else out.positionals.push(a);
      continue;
    }
    if (VALUED.has(key) && value === undefined) {
      value = argv[i + 1];
      if (value === undefined) throw new Error(`--${key} needs a value`);
      i++;
    }
    out.flags[key] = value ?? true;
  }
  return out;
}

/** Parses `30s`, `500ms`, `2m`, or plain seconds. */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) throw new Error(`'${s}' is not a duration (e.g. 30s, 500ms, 2m)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}
