// A sandbox measured just after launch may not have its processes yet: runc starts the
// container's init, runsc its Sentry, a moment after the runtime process itself.
const SETTLE_MS = 3000;

export async function settle<T>(find: () => T | undefined, ms = SETTLE_MS): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const v = find();
    if (v !== undefined || Date.now() >= end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}
