// Caps what a tool hands back to an agent: a model's context is small and a runaway command's
// output is not. The marker says how much was cut, so the agent can ask for less (or for a file).

export const DEFAULT_OUTPUT_CAP = 64 * 1024;

export interface Capped {
  text: string;
  truncated: boolean;
  bytes: number;
}

export function capText(s: string, maxBytes: number): Capped {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= maxBytes) return { text: s, truncated: false, bytes: buf.length };
  // Cut on a character boundary: back off over UTF-8 continuation bytes.
  let end = maxBytes;
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return { text: `${buf.subarray(0, end).toString('utf8')}\n[spectrum: truncated, showed ${end} of ${buf.length} bytes]`, truncated: true, bytes: buf.length };
}
