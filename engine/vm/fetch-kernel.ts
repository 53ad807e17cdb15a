// `node --import tsx engine/vm/fetch-kernel.ts`: fetches the Debian guest kernel into the cache
// (the set-up's guest-kernel step runs this). Prints the cached release; exits 1 with the reason.
import { fetchDebianKernel } from './kernel-package';

fetchDebianKernel({ log: (m) => console.log(`[setup] ${m}`) }).then(
  (k) => console.log(`[setup] guest kernel ${k.release} ready (${k.dir})`),
  (e: Error) => {
    console.error(`[setup] could not fetch the guest kernel: ${e.message}`);
    process.exitCode = 1;
  },
);
