// Reading what a drop from the Explorer or the desktop carries. Pure, unit-tested.
import { fileURLToPath } from 'node:url';

/** The local file paths of a `text/uri-list` (RFC 2483: CRLF lines, `#` comments; other schemes dropped). Pure. */
export function filePathsOfUriList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('file:'))
    .flatMap((l) => {
      try {
        return [fileURLToPath(l)];
      } catch {
        return []; // a file: URL naming another host
      }
    });
}
