// What the browser test files share: a free port, a wait until the app
// serves, the browser, the page text and the axe-core check. (Not a test
// file: node --test runs *.test.mjs.)

import { createServer } from "node:net";
import { chromium } from "playwright-core";

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

/** Headless Chromium (Debian's, or $CHROMIUM) with a fresh, empty profile. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic",
    ],
  });
}

/** The page's visible text. */
export const text = (page) => page.locator("body").innerText();

const axeSource = (await import("node:fs")).readFileSync(
  new URL("./node_modules/axe-core/axe.min.js", import.meta.url),
  "utf8",
);

/**
 * Runs axe-core on the page and fails on serious or critical violations
 * (WCAG 2.1 AA rules). The page's CSP forbids injected scripts, so the
 * browser contexts are made with `bypassCSP: true`.
 */
export async function assertAccessible(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length > 0) {
    const lines = bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    throw new Error(`${name}: accessibility violations:\n${lines.join("\n")}`);
  }
}
