// Passkeys in a real browser (Chromium's virtual authenticator through the
// DevTools protocol): register one from the passkeys page, see it listed,
// remove it, desktop and phone. Screenshots go to e2e/screenshots/ (wan-*),
// each page checked by axe-core. WebAuthn needs localhost, not an IP.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertAccessible, launchChromium, shots, startApp, text } from "./support.mjs";

const password = "copper lantern meadow 19";
let server, browser, base;

before(async () => {
  ({ server, base } = await startApp(
    "wan",
    'confirmable=false,passwordless=false,two_factor=false,webauthn={enabled=true,rp_name="Example",origin="{base}",rp_id="localhost"}',
  ));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

/** A platform authenticator with user verification, as a laptop has. */
async function virtualAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

for (const [device, viewport] of [["desktop", { width: 1280, height: 800 }], ["phone", { width: 375, height: 740 }]]) {
  test(`a passkey is added and removed on the passkeys page (${device})`, async () => {
    const context = await browser.newContext({ viewport, bypassCSP: true });
    const page = await context.newPage();
    const snap = async (name) => {
      await page.screenshot({ path: join(shots, `wan-${device}-${name}.png`), fullPage: true });
      await assertAccessible(page, `${device} ${name}`);
    };
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    await page.goto(`${base}/register`);
    await page.fill("#email", `ada-${device}@example.com`);
    await page.fill("#password", password);
    await page.fill("#password_confirm", password);
    await page.click("button[type=submit] >> text=Create account");

    await page.goto(`${base}/wan-register`);
    assert.match(await text(page), /You have no passkeys yet/);
    await snap("empty");
    await page.fill("#name", "Work laptop");
    await page.click("text=Add the passkey");
    await page.waitForURL(`${base}/wan-register`);
    await page.waitForSelector("text=Successfully added the passkey with name: Work laptop");
    const listed = await text(page);
    assert.match(listed, /Work laptop/);
    assert.match(listed, /Passkey/);
    await snap("added");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.equal(credentials.length, 1, "the authenticator holds the new key");
    assert.equal(credentials[0].isResidentCredential, true, "discoverable, for usernameless sign-in");

    await page.click("text=Remove");
    assert.match(await text(page), /Successfully deleted the passkey with name: Work laptop/);
    assert.match(await text(page), /You have no passkeys yet/);
    await context.close();
  });
}

test("a passkey signs in from the sign-in page, and autofill offers it", async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const snap = async (name) => {
    await page.screenshot({ path: join(shots, `wan-signin-${name}.png`), fullPage: true });
    await assertAccessible(page, name);
  };
  await virtualAuthenticator(page);
  const email = "grace-signin@example.com";
  await page.goto(`${base}/register`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.fill("#password_confirm", password);
  await page.click("button[type=submit] >> text=Create account");
  await page.goto(`${base}/wan-register`);
  await page.fill("#name", "This laptop");
  await page.click("text=Add the passkey");
  await page.waitForSelector("text=Successfully added the passkey with name: This laptop");
  await page.click("text=Sign out");

  // Autofill (conditional UI): the sign-in page asks the browser for any
  // passkey of this site; the virtual authenticator answers at once.
  // (The field's `autocomplete="username webauthn"` is checked over HTTP:
  // here the page is gone before it could be read.)
  await page.goto(`${base}/login`);
  await page.waitForURL(`${base}/`);
  assert.match(await text(page), new RegExp(`Hello, ${email}`));
  await page.click("text=Sign out");

  // The button, from the passkey page: no email typed, the discoverable key.
  await page.goto(`${base}/wan-signin`);
  await snap("page");
  await page.click("button >> text=Sign in with a passkey");
  await page.waitForURL(`${base}/`);
  assert.match(await text(page), new RegExp(`Hello, ${email}`));
  await page.goto(`${base}/wan-register`);
  await snap("after");
  await context.close();
});
