// Waiting on a condition, not a clock: true as soon as `cond` holds, false if it still doesn't
// after `ms` (checked once more at the deadline).
export async function waitFor(cond: () => boolean | Promise<boolean>, ms: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return cond();
}
