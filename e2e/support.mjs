// What both browser test files need to start the app: a free port, and a
// wait until it serves. (Not a test file: node --test runs *.test.mjs.)

import { createServer } from "node:net";

/** A TCP port nobody listens on right now. */
export const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Waits (up to 20 s) until the app at `base` answers `/api/hello`. */
export async function untilServing(base) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/api/hello`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
}
