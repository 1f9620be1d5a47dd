// What the browser test files share: a free port, a wait until the app
// serves, the browser, the page text and the axe-core check. (Not a test
// file: node --test runs *.test.mjs.)

import { createServer } from "node:net";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
/** The repository, the app's binary ($BIN) and the screenshots folder. */
export const root = join(here, "..");
export const bin = process.env.BIN ?? join(root, "target/debug/rocket-security-starter");
export const shots = join(here, "screenshots");
mkdirSync(shots, { recursive: true });

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

/**
 * Starts the app on a free port with a fresh SQLite database and the file
 * mail transport: `security` is the test's own `security` flags (TOML inline
 * table body, where `{base}` stands for the app's URL); English,
 * `public_url`, no reply floor and cheap argon2 are added. `host` is `localhost` (what passkeys need) unless given.
 * Returns `{server, base, env, mailDir}`.
 */
export async function startApp(name, security, { host = "localhost" } = {}) {
  const work = mkdtempSync(join(tmpdir(), `e2e-${name}-`));
  const mailDir = join(work, "mail");
  const port = await freePort();
  const base = `http://${host}:${port}`;
  const env = {
    ...process.env,
    ROCKET_PORT: String(port),
    ROCKET_LOG_LEVEL: "off",
    ROCKET_SECRET_KEY: "hPRYyVRiMyxpw5sBB1XeCMN1kFsDCqKvBi2QJxBVHQk=",
    ROCKET_DATABASES: `{app={url="${join(work, `${name}.db`)}"}}`,
    ROCKET_SECURITY: `{default_locale="en",${security.replaceAll("{base}", base)},public_url="${base}",mail_reply_floor="0ms",argon2={memory_kib=64,iterations=1,parallelism=1}}`,
    ROCKET_MAIL: `{transport="file",dir="${mailDir}"}`,
  };
  const server = spawn(bin, [], { env, cwd: root, stdio: "ignore" });
  await untilServing(base);
  return { server, base, env, mailDir };
}

/** The mails in `mailDir` (to `to`, when given), oldest first, decoded enough to read. */
export function mailsIn(mailDir, to) {
  if (!existsSync(mailDir)) return [];
  return readdirSync(mailDir)
    .map((name) => join(mailDir, name))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs || a.localeCompare(b))
    .map((file) => readFileSync(file, "utf8").replace(/=\r?\n/g, "").replace(/=3D/g, "="))
    .filter((mail) => !to || new RegExp(`^To: .*${to.replace(/[.+]/g, "\\$&")}`, "mi").test(mail));
}

/** The newest mail in `mailDir` to `to`; fails when there is none. */
export function lastMailIn(mailDir, to) {
  const all = mailsIn(mailDir, to);
  if (all.length === 0) throw new Error(`no mail to ${to}`);
  return all[all.length - 1];
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
