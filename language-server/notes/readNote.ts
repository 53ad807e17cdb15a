// Reads a workspace note from disk with a size cap. Notes come from untrusted workspaces: a huge
// Markdown file, a FIFO or a device named `*.md` must not stall or bloat the language server.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Notes are short; this is far above any real one and keeps a whole-workspace index bounded. */
export const MAX_NOTE_BYTES = 1024 * 1024;

export type NoteRead = { text: string } | { skipped: 'missing' | 'not-a-file' | 'too-large' };

export async function readNoteText(uri: string, maxBytes = MAX_NOTE_BYTES): Promise<NoteRead> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    handle = await open(fileURLToPath(uri), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return { skipped: 'missing' };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { skipped: 'not-a-file' };
    if (st.size > maxBytes) return { skipped: 'too-large' };
    // Read from the open file until EOF, stopping one byte past the cap: it may have grown since the stat.
    const chunks: Buffer[] = [];
    let total = 0;
    let want = Math.min(st.size, maxBytes) + 1;
    while (total <= maxBytes) {
      const buf = Buffer.alloc(Math.min(want, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, total);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      want = 64 * 1024;
    }
    if (total > maxBytes) return { skipped: 'too-large' };
    return { text: Buffer.concat(chunks, total).toString('utf8') };
  } catch {
    return { skipped: 'missing' };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
