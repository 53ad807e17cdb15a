// spectrum images [--json]: what the image store holds.
import { json, out, type VerbRun } from '../verb';

export const run: VerbRun = async (a, cli) => {
  const list = await (await cli.engine()).images();
  if (a.flags.json) {
    json(list);
    return 0;
  }
  const rows = [['IMAGE', 'DIGEST', 'SIZE', 'PLATFORM', 'PULLED', 'USED BY'], ...list.map((i) => [i.shortName, i.digest.slice(7, 19), `${(i.size / 1048576).toFixed(1)} MiB`, i.platform, i.pulledAt.slice(0, 19).replace('T', ' '), i.usedBy.join(',') || '-'])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) out(`${r.map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c]))).join('  ')}\n`);
  return 0;
};
