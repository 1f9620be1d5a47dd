// Two-factor in a real browser, desktop and phone: set up the authenticator
// (the key read from the page), sign out, sign in with a code, make recovery
// codes and sign in with one. Run by `.ci/run` with flows.test.mjs.
// Screenshots go to e2e/screenshots/ (tf-*.png).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { assertAccessible, launchChromium, shots, startApp, text } from "./support.mjs";

const password = "a long passphrase";

let server, browser, base;

/** The code an authenticator app shows for the base32 `key`. */
function totp(key, stepsAhead = 0) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bits = [...key.replace(/[-\s]/g, "")].map((c) => alphabet.indexOf(c).toString(2).padStart(5, "0")).join("");
  const secret = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + stepsAhead));
  const mac = createHmac("sha1", secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, "0");
}

before(async () => {
  // localhost, not an IP: what browsers need for passkeys later, too.
  ({ server, base } = await startApp(
    "tf",
    'two_factor=true,password_complexity=false,password_check_breached=false,change_email=false,username_enable=false,username_recovery=false,change_username=false,unified_signin=false,recovery_codes=true,totp_issuer="Example"',
  ));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

for (const [device, viewport] of [["desktop", { width: 1280, height: 800 }], ["phone", { width: 375, height: 740 }]]) {
  test(`two-factor from setup to a recovery code (${device})`, async () => {
    const page = await (await browser.newContext({ viewport, bypassCSP: true })).newPage();
    const snap = async (name) => {
      await page.screenshot({ path: join(shots, `tf-${device}-${name}.png`), fullPage: true });
      await assertAccessible(page, `${device} ${name}`);
    };
    const email = `grace-${device}@example.com`;

    await page.goto(`${base}/register`);
    await page.fill("#email", email);
    await page.fill("#password", password);
    await page.fill("#password_confirm", password);
    await page.click("button[type=submit] >> text=Create account");
    await page.goto(`${base}/account`);
    await page.click("#hub-two-factor a");
    assert.match(await text(page), /Two-factor sign-in is off/);
    await snap("setup");

    await page.click("text=Use an authenticator app");
    assert.equal(await page.locator("figure.qr svg").count(), 1, "the QR code is on the page");
    const key = (await page.textContent("code.key")).trim();
    await snap("setup-qr");
    await page.fill("#code", "000000");
    await page.click("text=Turn on");
    assert.match(await text(page), /Setup must be completed|Invalid code/);
    await page.goto(`${base}/tf-setup`);
    await page.click("text=Use an authenticator app");
    const fresh = (await page.textContent("code.key")).trim();
    assert.notEqual(fresh, key, "starting again makes a new secret");
    await page.fill("#code", totp(fresh));
    await page.click("text=Turn on");
    assert.match(await text(page), /Two-factor sign-in is on/);

    await page.goto(`${base}/mf-recovery-codes`);
    await page.click("text=Make new codes");
    const codes = await page.locator("ul.codes code").allTextContents();
    assert.equal(codes.length, 5);
    await snap("recovery-codes");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= viewport.width, `no sideways scroll (${width}px)`);

    // Sign out, sign in: the password, then a code from the app.
    await page.click("text=Sign out");
    await page.goto(`${base}/login`);
    await page.fill("#email", email);
    await page.fill("#password", password);
    await page.click("button[type=submit]");
    assert.match(await text(page), /Enter your code/);
    await snap("validate");
    await page.fill("#code", "123");
    await page.click("button:has-text('Sign in')");
    assert.match(await text(page), /Invalid code/);
    await page.fill("#code", totp(fresh, 1));
    await page.click("button:has-text('Sign in')");
    assert.match(await text(page), new RegExp(`Hello, ${email}`));

    // And once with a recovery code.
    await page.click("text=Sign out");
    await page.goto(`${base}/login`);
    await page.fill("#email", email);
    await page.fill("#password", password);
    await page.click("button[type=submit]");
    await page.click("text=Use a recovery code");
    await snap("recovery");
    await page.fill("#code", codes[0]);
    await page.click("button:has-text('Sign in')");
    assert.match(await text(page), new RegExp(`Hello, ${email}`));
  });
}
