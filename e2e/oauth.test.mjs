// Signing in through an OpenID Connect provider in a real browser: the
// sign-in page's button, the provider's consent page (PyPI's
// oidc-provider-mock on loopback), back signed in with a new account,
// the connected providers page (which will not disconnect the account's
// only way in); denied consent ends on the sign-in page.
// Desktop and phone; screenshots go to e2e/screenshots/ (oauth-*), each of
// our pages checked by axe-core.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { assertAccessible, freePort, launchChromium, root, shots, startApp, text } from "./support.mjs";

let provider, server, browser, base, issuer;

/** The mock's Python: $OIDC_MOCK_PYTHON, or the one `cargo test` installed. */
function mockPython() {
  const python = process.env.OIDC_MOCK_PYTHON ?? join(root, "target/oidc-provider-mock/bin/python");
  if (!existsSync(python)) throw new Error(`no oidc-provider-mock at ${python}: run cargo test first, or set OIDC_MOCK_PYTHON`);
  return python;
}

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  provider = spawn(mockPython(), ["-m", "oidc_provider_mock", "--port", String(port)], { stdio: "ignore" });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${issuer}/.well-known/openid-configuration`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  ({ server, base } = await startApp(
    "oauth",
    `confirmable=false,two_factor=false,oauth={auto_register=true,providers={corp={kind="oidc",label="Corp SSO",issuer="${issuer}",client_id="starter",client_secret="starter-secret"}}}`,
  ));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill();
  provider?.kill();
});

/** The claims the provider gives `sub` from now on. */
async function identity(sub, claims) {
  const done = await fetch(`${issuer}/users/${sub}`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(claims),
  });
  assert.ok(done.ok, `PUT /users/${sub}: ${done.status}`);
}

for (const [device, viewport] of [["desktop", { width: 1280, height: 800 }], ["phone", { width: 375, height: 740 }]]) {
  test(`a new user signs in through the provider (${device})`, async () => {
    const context = await browser.newContext({ viewport, bypassCSP: true });
    const page = await context.newPage();
    const snap = async (name, check = true) => {
      await page.screenshot({ path: join(shots, `oauth-${device}-${name}.png`), fullPage: true });
      if (check) await assertAccessible(page, `${device} ${name}`);
    };
    const email = `lin-${device}@example.com`;
    await identity(`lin-${device}`, { email, email_verified: true });

    await page.goto(`${base}/login`);
    await snap("signin");
    await page.click("button >> text=Sign in with Corp SSO");
    // The provider's own page (not ours: no axe check).
    await page.waitForURL(`${issuer}/**`);
    await page.fill("input[name=sub]", `lin-${device}`);
    await snap("consent", false);
    await page.click("button >> text=Authorize");
    await page.waitForURL(`${base}/`);
    assert.match(await text(page), new RegExp(`Hello, ${email.replace(/\./g, "\\.")}`));
    await snap("signed-in");

    await page.goto(`${base}/oauth-identities`);
    const listed = await text(page);
    assert.match(listed, /Corp SSO/);
    assert.match(listed, new RegExp(email.replace(/\./g, "\\.")));
    assert.match(listed, /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await snap("identities");
    // Its only way in (no password yet): kept.
    await page.click("button >> text=Disconnect");
    await page.waitForURL(`${base}/oauth-identities`);
    assert.match(await text(page), /Set a password or connect another way to sign in first/);
    assert.match(await text(page), /Corp SSO/);
    await page.goto(`${base}/account`);
    assert.match(await text(page), /Corp SSO/);
    await context.close();
  });
}

test("denied consent ends on the sign-in page with the provider's error", async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.click("button >> text=Sign in with Corp SSO");
  await page.waitForURL(`${issuer}/**`);
  await page.click("button >> text=Deny");
  await page.waitForURL(`${base}/login`);
  assert.match(await text(page), /An error occurred while communicating with the OAuth provider: \(access_denied/);
  await page.screenshot({ path: join(shots, "oauth-denied.png"), fullPage: true });
  await assertAccessible(page, "denied");
  await context.close();
});
